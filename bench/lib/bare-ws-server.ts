/**
 * The baseline for bench/fanout.ts and bench/memory.ts: a bare `ws` server that answers `hello` with one
 * frame and broadcasts a frame of BARE_FRAME_BYTES to every connection whenever any client sends
 * `answer`. No origin checks, no schema, no store: what fan-out costs with nothing but `ws`.
 */
import { WebSocketServer, type WebSocket } from 'ws';

const frameBytes = Number(process.env.BARE_FRAME_BYTES ?? 600);
/** Counts answers: the Nth answer's event carries seq N (bench/lib/fanout-throughput.ts relies on it). */
let seq = 0;

/** A JSON text frame of exactly `bytes` bytes, shaped like the server's `event` frame. */
function frame(type: string, bytes: number): string {
  const head = `{"type":"${type}","event":{"seq":${type === 'event' ? ++seq : 0},"pad":"`;
  const tail = '"}}';
  return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

const clients = new Set<WebSocket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0), perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('error', () => {});
  ws.on('close', () => clients.delete(ws));
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type?: string };
    if (msg.type === 'hello') ws.send(frame('welcome', 80));
    else if (msg.type === 'answer') {
      // One serialisation per post, one send per connection: the same shape as RealtimeHub#broadcast.
      const event = frame('event', frameBytes);
      for (const c of clients) c.send(event);
    }
  });
});
wss.on('listening', () => {
  const { port } = wss.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
});
process.on('SIGTERM', () => {
  for (const c of clients) c.terminate();
  wss.close(() => process.exit(0));
});
