// Baseline: raw node:http reading and parsing the same bodies, answering as the write route does.
import { createServer } from 'node:http';
import { announce, portArgument } from './child.mjs';

let events = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    events += body.events.length;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: body.events.length, dropped: [], rejected: [] }));
  });
});
server.listen(portArgument(), '127.0.0.1', () => announce(server, () => ({ accepted: events })));
