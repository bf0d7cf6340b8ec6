// The yardstick for `npm run bench`: a bare Fastify "hello" route, in its own process.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => 'hello');
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
