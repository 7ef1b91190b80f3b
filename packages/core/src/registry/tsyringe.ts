import type { DependencyContainer } from 'tsyringe';

/**
 * Loads tsyringe lazily. Its entry point refuses to load without a `Reflect.getMetadata` polyfill, which
 * only decorators need; paperlab registers by factory/value against typed tokens, so a no-op stand-in
 * is installed (only if absent) instead of pulling reflect-metadata into every consumer.
 */
export async function createRootContainer(): Promise<DependencyContainer> {
  const reflect = Reflect as unknown as { getMetadata?: (...args: unknown[]) => unknown };
  if (typeof reflect.getMetadata !== 'function') reflect.getMetadata = () => undefined;
  const mod = await import('tsyringe');
  const container = (
    mod.container ?? (mod as unknown as { default: typeof mod }).default.container
  ).createChildContainer();
  return container;
}
