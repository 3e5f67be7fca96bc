/** The provider registry (STYLE.md §4): explicit registration, loud failure, plug-ins loaded by module path. */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudError } from './errors.js';
import type { CloudProvider, ProviderFactory, ProviderOptions } from './types.js';

/** A module path rather than a package or registered name: contains `/` (not a scoped package) or starts with `.`. */
function isModulePath(name: string): boolean {
  if (name.startsWith('.') || isAbsolute(name)) return true;
  return name.includes('/') && !name.startsWith('@');
}

function factoryOf(mod: Record<string, unknown>, spec: string): ProviderFactory {
  const f = typeof mod.createProvider === 'function' ? mod.createProvider : mod.default;
  if (typeof f !== 'function') {
    throw new CloudError('InvalidArgument', `cloud provider module "${spec}" exports neither a default function nor createProvider`);
  }
  return f as ProviderFactory;
}

function checkProvider(p: unknown, spec: string): CloudProvider {
  const cp = p as Partial<CloudProvider> | undefined;
  if (!cp || typeof cp.name !== 'string' || typeof cp.capabilities !== 'object') {
    throw new CloudError('InvalidArgument', `cloud provider "${spec}" factory did not return a provider (needs name and capabilities)`);
  }
  return cp as CloudProvider;
}

export interface ProviderRegistryOptions {
  /** Resolves relative module paths; default the working directory. */
  baseDir?: string;
  /** Dynamic import, injectable for tests. */
  importModule?: (specifier: string) => Promise<Record<string, unknown>>;
}

export class ProviderRegistry {
  private readonly factories = new Map<string, ProviderFactory>();

  constructor(private readonly opts: ProviderRegistryOptions = {}) {}

  /** Registers `factory` under `name`; registering a name twice is an error. */
  register(name: string, factory: ProviderFactory): this {
    if (this.factories.has(name)) throw new CloudError('AlreadyExists', `cloud provider "${name}" is already registered`);
    this.factories.set(name, factory);
    return this;
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  /**
   * Creates the provider named `nameOrPath`: a registered name; else a module path (`./x.js`,
   * `/abs/x.ts`, `dir/x.js`) or package name, imported and asked for `createProvider` or `default`.
   * An unknown name rejects with an error listing the known ones.
   */
  async create(nameOrPath: string, opts: ProviderOptions): Promise<CloudProvider> {
    const registered = this.factories.get(nameOrPath);
    if (registered) return checkProvider(await registered(opts), nameOrPath);
    const spec = isModulePath(nameOrPath) ? pathToFileURL(resolve(this.opts.baseDir ?? process.cwd(), nameOrPath)).href : nameOrPath;
    let mod: Record<string, unknown>;
    try {
      mod = await (this.opts.importModule ?? ((s: string) => import(s) as Promise<Record<string, unknown>>))(spec);
    } catch (e) {
      const known = this.names().join(', ') || '(none)';
      throw new CloudError('NotFound', `unknown cloud provider "${nameOrPath}" (known: ${known}; or give a module path)`, { cause: e });
    }
    return checkProvider(await factoryOf(mod, nameOrPath)(opts), nameOrPath);
  }
}
