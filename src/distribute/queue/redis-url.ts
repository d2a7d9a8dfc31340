import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { PieAuditError } from '../../errors.js';

/** BullMQ connection options from a `redis[s]://[user:password@]host:port[/db]` URL. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** TLS options (`rediss://`): the server's name for SNI (host names only); absent for plain `redis://`. */
  readonly tls?: { readonly servername?: string };
}

/**
 * Parses a queue URL.
 *
 * @example
 * parseRedisUrl('redis://127.0.0.1:6379/0'); // { host: '127.0.0.1', port: 6379, db: 0 }
 * parseRedisUrl('rediss://:secret@queue.example:6380'); // { host: 'queue.example', port: 6380, db: 0, password: 'secret', tls: {…} }
 * @throws PieAuditError INVALID_ARGUMENT when it is not a redis:// or rediss:// URL. Messages never repeat the URL's password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PieAuditError('INVALID_ARGUMENT', '--queue is not a URL; use redis://host:port (e.g. redis://127.0.0.1:6379).', {});
  }
  // The URL may hold a password: messages show it without.
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `--queue '${shown}' must start with redis:// or rediss:// (TLS); e.g. redis://127.0.0.1:6379.`,
      {
        queue: shown,
      },
    );
  const dbText = parsed.pathname.length > 1 ? parsed.pathname.slice(1) : '0';
  const db = /^\d{1,2}$/.test(dbText) ? Number(dbText) : Number.NaN;
  if (!Number.isInteger(db) || db < 0)
    throw new PieAuditError('INVALID_ARGUMENT', `--queue '${shown}': the database '${dbText}' is not a number.`, { queue: shown });
  const host = (parsed.hostname || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    // The certificate is checked against the host either way; SNI takes names, not addresses.
    ...(parsed.protocol === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
  };
}

/**
 * How messages name a Redis server: its address without credentials.
 *
 * @example
 * redisAddress({ host: '127.0.0.1', port: 6379 }); // 'redis://127.0.0.1:6379'
 */
export function redisAddress(target: RedisTarget): string {
  return `${target.tls ? 'rediss' : 'redis'}://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/**
 * Checks that Redis answers a PING within `timeoutMs`, before any job is queued: BullMQ's client retries a
 * missing server forever, which would hang a submitter without a word.
 *
 * @example
 * await assertRedisReachable(parseRedisUrl('redis://127.0.0.1:6379'));
 * @throws PieAuditError BACKEND_UNAVAILABLE with one line naming the address and the cause.
 */
export function assertRedisReachable(target: RedisTarget, timeoutMs = 3000): Promise<void> {
  const where = redisAddress(target);
  return new Promise((resolve, reject) => {
    const socket: Socket = target.tls
      ? connectTls({ host: target.host, port: target.port, ...target.tls })
      : connect({ host: target.host, port: target.port });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new PieAuditError('BACKEND_UNAVAILABLE', `cannot reach Redis at ${where} (${why}); start redis-server there or fix --queue.`, {
          queue: where,
        }),
      );
    };
    const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
    let reply = '';
    socket.on(target.tls ? 'secureConnect' : 'connect', () => {
      const auth = target.password ? (target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]) : null;
      const command = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
      socket.write((auth ? command(auth) : '') + command(['PING']));
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('+PONG')) {
        clearTimeout(timer);
        socket.end();
        resolve();
      } else if (reply.startsWith('-')) {
        clearTimeout(timer);
        fail(reply.split('\r\n')[0].slice(1));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      fail((e as NodeJS.ErrnoException).code ?? e.message);
    });
  });
}
