import { type ComponentType, type LazyExoticComponent, lazy } from "react";

/** A page whose code loads on demand, and can be asked to start loading before it renders. */
export type LazyPage<P> = LazyExoticComponent<ComponentType<P>> & { preload: () => Promise<ComponentType<P>> };

/**
 * `React.lazy` with a `preload()`: the router starts a page's download together with everything
 * else the page needs (src/app/preload.ts) instead of when it first renders. A failed download is
 * forgotten, so a later render or preload tries again.
 */
export function lazyPage<P>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return Object.assign(
    lazy(() => preload().then((component) => ({ default: component }))),
    { preload },
  );
}
