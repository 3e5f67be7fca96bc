/**
 * What a container runs. skiff runs containers as local processes: `command`/`args` run as given;
 * an `image` naming a built-in sample app (`skiff/echo`) runs that app; any other image without a
 * command cannot run here and gets a clear reason, as a kubelet reports a pull failure.
 */
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Container } from '../api/index.js';
import { ownScript } from '../util/index.js';

export interface Runnable {
  file: string;
  args: string[];
}

export interface NotRunnable {
  /** Kubernetes' waiting reason: `ErrImagePull`, `InvalidImageName`, `RunContainerError`. */
  reason: string;
  message: string;
}

export interface ImageCatalog {
  /** Image name (no tag) → how to run it. */
  builtins: ReadonlyMap<string, Runnable>;
}

/** The sample apps shipped in examples/apps, run with this Node: compiled, or through tsx when skiff runs from sources. */
export function builtinImages(): ImageCatalog {
  const app = (name: string): Runnable => ownScript(`examples/apps/${name}/server`);
  return { builtins: new Map([['skiff/echo', app('echo')]]) };
}

/** `skiff/echo:1.2` → `skiff/echo`; `docker.io/library/nginx@sha256:…` → `docker.io/library/nginx`. */
export function imageName(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

const imageRe = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Finds an executable on PATH (or checks an absolute/relative path), as exec does. */
export function lookPath(file: string, pathEnv: string | undefined, cwd: string): string | undefined {
  if (file.includes('/')) {
    const p = isAbsolute(file) ? file : join(cwd, file);
    return existsSync(p) ? p : undefined;
  }
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, file);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Decides what to execute for `c`. With `command`, it runs as given (an image is informational);
 * with only `args`, the image's own entrypoint gets them; with neither, the image's defaults.
 */
export function resolveRunnable(c: Container, catalog: ImageCatalog, env: { PATH?: string }, cwd: string): Runnable | NotRunnable {
  const image = c.image ?? '';
  if (image && !imageRe.test(image)) return { reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
  const builtin = image ? catalog.builtins.get(imageName(image)) : undefined;
  const [cmd, ...cmdArgs] = c.command ?? [];
  if (cmd !== undefined) {
    const file = lookPath(cmd, env.PATH, cwd);
    if (!file) return { reason: 'RunContainerError', message: `exec: "${cmd}": executable file not found in $PATH` };
    return { file, args: [...cmdArgs, ...(c.args ?? [])] };
  }
  if (builtin) return { file: builtin.file, args: [...builtin.args, ...(c.args ?? [])] };
  if (!image) return { reason: 'InvalidImageName', message: 'container has neither an image nor a command' };
  return {
    reason: 'ErrImagePull',
    message: `skiff runs containers as local processes: image "${image}" is not a built-in app (${[...catalog.builtins.keys()].join(', ')}); give the container a command to run`,
  };
}

export function isRunnable(r: Runnable | NotRunnable): r is Runnable {
  return 'file' in r;
}
