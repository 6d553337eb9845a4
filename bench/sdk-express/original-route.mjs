// The original SDK's per-event work, one request per record with the `pocketbase` JS SDK as a
// superuser: look the visitor up (create it when new), look its open session up (create it, or
// update its counters and exit page), create the event. No batching, no caches, as the original.
import { createHash } from 'node:crypto';
import PocketBase from 'pocketbase';

const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
const pbDate = (ms) => new Date(ms).toISOString().replace('T', ' ');

/** The first address of X-Forwarded-For when the peer is loopback (the bench's trust rule), else the peer. */
function clientIp(req) {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  const loopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  return loopback && typeof forwarded === 'string' ? forwarded.split(',')[0].trim() : peer;
}

/** Resolves once the original's requests for one event are done; `null` when the payload is not one. */
export async function originalRoute(url, email, password, trackingId) {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  await pb.collection('_superusers').authWithPassword(email, password);
  const site = await pb
    .collection('websites')
    .getFirstListItem(pb.filter('trackingId = {:trackingId}', { trackingId }));

  return async function track(req, payload) {
    if (typeof payload?.url !== 'string' || typeof payload.type !== 'string') return false;
    const page = new URL(payload.url);
    const ua = req.headers['user-agent'] ?? '';
    const visitorId = createHash('sha256')
      .update(`${trackingId}-${clientIp(req)}-${ua}`)
      .digest('hex');
    const now = Date.now();
    let visitor;
    let isNewVisitor = false;
    try {
      visitor = await pb
        .collection('visitors')
        .getFirstListItem(pb.filter('website = {:w} && visitorId = {:v}', { w: site.id, v: visitorId }), {
          fields: 'id',
        });
    } catch (error) {
      if (error?.status !== 404) throw error;
      visitor = await pb.collection('visitors').create({ website: site.id, visitorId }, { fields: 'id' });
      isNewVisitor = true;
    }
    const open = await pb.collection('sessions').getList(1, 1, {
      filter: pb.filter('visitor = {:v} && lastActivityAt >= {:since}', {
        v: visitor.id,
        since: pbDate(now - SESSION_TIMEOUT_MS),
      }),
      sort: '-lastActivityAt',
      fields: 'id,eventCount,startedAt',
      skipTotal: true,
    });
    let session = open.items[0];
    if (session) {
      await pb.collection('sessions').update(
        session.id,
        {
          eventCount: session.eventCount + 1,
          exitPath: page.pathname,
          lastActivityAt: pbDate(now),
          isEngaged: true,
          duration: Math.round((now - Date.parse(session.startedAt)) / 1000),
        },
        { fields: 'id' },
      );
    } else {
      session = await pb.collection('sessions').create(
        {
          website: site.id,
          visitor: visitor.id,
          browser: 'Chrome',
          os: 'Windows',
          device: 'desktop',
          screenWidth: payload.screenWidth ?? 0,
          screenHeight: payload.screenHeight ?? 0,
          language: payload.language ?? '',
          entryPath: page.pathname,
          exitPath: page.pathname,
          referrer: payload.referrer ?? '',
          utmSource: page.searchParams.get('utm_source') ?? '',
          isNewVisitor,
          eventCount: 1,
          startedAt: pbDate(now),
          lastActivityAt: pbDate(now),
        },
        { fields: 'id' },
      );
    }
    await pb.collection('events').create(
      {
        session: session.id,
        website: site.id,
        type: payload.type,
        path: page.pathname,
        eventName: payload.name ?? '',
        timestamp: pbDate(now),
      },
      { fields: 'id' },
    );
    return true;
  };
}
