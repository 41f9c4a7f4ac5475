// A TCP proxy between the server and PostgreSQL, so that a test can take the database away from one
// server without stopping the PostgreSQL server every other suite shares.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../../scripts/lib/smoke';

export interface TcpProxy {
  port: number;
  /** The database goes away: every open connection is cut and new ones are refused. */
  cut(): Promise<void>;
  /**
   * The database hangs instead of refusing, as behind a load balancer or pooler whose backend is
   * gone: open connections are cut, new ones are accepted and then never answered, which only a
   * connect timeout can detect.
   */
  blackhole(): Promise<void>;
  /** Connections go through again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        track(client);
        if (mode === 'blackhole') {
          client.on('data', () => {}); // swallowed: no answer ever comes
          client.on('error', () => {});
          return;
        }
        const upstream = connect(target.port, target.host);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
      for (const socket of sockets) socket.destroy();
    });

  await listen();
  return {
    port,
    cut: async () => {
      await stopListening();
    },
    blackhole: async () => {
      mode = 'blackhole';
      for (const socket of sockets) socket.destroy();
      if (!server) await listen();
    },
    restore: async () => {
      mode = 'forward';
      // Silent connections from the blackhole are cut; the client reconnects through a fresh one.
      for (const socket of sockets) socket.destroy();
      if (!server) await listen();
    },
    close: () => stopListening(),
  };
}
