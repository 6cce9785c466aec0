import net from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Rejects with a one-line, actionable message when a port is taken. */
export function describeListenError(err: NodeJS.ErrnoException, what: string, port: number, variable: string): Error {
  if (err.code === 'EADDRINUSE') return new Error(`${what} cannot listen: port ${port} is in use; set ${variable} to a free port`);
  if (err.code === 'EACCES') return new Error(`${what} cannot listen on port ${port} (permission denied); set ${variable}`);
  return err;
}
