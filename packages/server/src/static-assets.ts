import type { HttpHandler } from '@skopos/transport-http';
import type { StaticAsset } from './options.ts';

/** Answers `GET`/`HEAD` for the given paths itself and hands every other request to `handler`. */
export function withAssets(handler: HttpHandler, assets: Record<string, StaticAsset>): HttpHandler {
  const paths = new Map(Object.entries(assets));
  if (paths.size === 0) return handler;
  return (request, info) => {
    const asset = paths.get(new URL(request.url).pathname);
    if (asset === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return handler(request, info);
    }
    const body = request.method === 'HEAD' ? null : asset.body;
    return Promise.resolve(
      new Response(body, {
        headers: {
          'content-type': asset.type,
          // The demo page and the tracker change between versions: never serve a stale copy.
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
        },
      }),
    );
  };
}
