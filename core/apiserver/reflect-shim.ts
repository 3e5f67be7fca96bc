/**
 * @peculiar/x509 depends on tsyringe, which refuses to load without a `Reflect.getMetadata`
 * polyfill (normally the `reflect-metadata` package, which is not installed). This installs
 * the small subset tsyringe uses. Import it before `@peculiar/x509`.
 */
type Key = string | symbol;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();

function table(target: object, prop: Key | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  let t = byProp?.get(prop);
  if (!t && create && byProp) byProp.set(prop, (t = new Map()));
  return t;
}

interface ReflectMeta {
  getMetadata?: unknown;
}

const R = Reflect as unknown as Record<string, unknown> & ReflectMeta;
if (typeof R.getMetadata !== 'function') {
  const get = (key: Key, target: object, prop?: Key): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = table(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R.defineMetadata = (key: Key, value: unknown, target: object, prop?: Key): void => void table(target, prop, true)?.set(key, value);
  R.getMetadata = get;
  R.getOwnMetadata = (key: Key, target: object, prop?: Key): unknown => table(target, prop, false)?.get(key);
  R.hasMetadata = (key: Key, target: object, prop?: Key): boolean => get(key, target, prop) !== undefined;
  R.metadata = (key: Key, value: unknown) => (target: object, prop?: Key): void => void table(target, prop, true)?.set(key, value);
}

export {};
