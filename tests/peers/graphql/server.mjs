// A real GraphQL server for Salvo's functional tests: graphql-yoga over HTTP (POST and GET /graphql) and
// graphql-ws (the graphql-transport-ws protocol) over WebSocket on the same port, bound to 127.0.0.1 only.
//
// Usage: node server.mjs [port]   (0 or nothing picks a free port)
// Prints one line "listening <port>" on stdout once both are ready.
//
// Schema: a query (hello, event), a mutation (placeBet, publish), a field error with partial data
// (event.liveScore throws), and subscriptions (odds, fed by the publish mutation; countdown, which completes).
// A connection_init payload of {"token":"rejected"} is refused (close 4403). Test helpers, not in the schema:
//   GET /_peer/inits        the connection_init payloads seen, in order (JSON array)
//   GET /_peer/subscribers  how many odds subscriptions are active (JSON number)
//   GET /_peer/pings        how many protocol pings clients have sent (JSON number)
//   POST /_peer/close       closes every WebSocket with code 1000 ("a clean close": no error at all)
import { createServer } from 'node:http';
import { createYoga, createSchema } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';

const port = Number(process.argv[2] ?? 0);
const inits = [];
const subscribers = new Map(); // eventId -> Set of push functions
let bets = 0;
let pings = 0;

function subscribe(eventId) {
  // A minimal pub/sub: one queue per subscriber, so an event published while it is active is never lost.
  const queue = [];
  let wake = null;
  let done = false;
  const push = (value) => { queue.push(value); if (wake) { wake(); wake = null; } };
  if (!subscribers.has(eventId)) subscribers.set(eventId, new Set());
  subscribers.get(eventId).add(push);
  const stop = () => { done = true; subscribers.get(eventId)?.delete(push); if (wake) { wake(); wake = null; } };
  return {
    [Symbol.asyncIterator]() { return this; },
    async next() {
      while (!done && queue.length === 0) await new Promise((resolve) => { wake = resolve; });
      if (queue.length > 0) return { value: { odds: queue.shift() }, done: false };
      return { value: undefined, done: true };
    },
    async return() { stop(); return { value: undefined, done: true }; },
  };
}

function activeSubscribers() {
  let count = 0;
  for (const set of subscribers.values()) count += set.size;
  return count;
}

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      hello(name: String): String!
      event(id: ID!): Event
    }
    type Event {
      id: ID!
      name: String!
      price: Float!
      liveScore: String
    }
    type Bet {
      id: ID!
      eventId: ID!
      stake: Float!
    }
    type OddsUpdate {
      eventId: ID!
      seq: Int!
      price: Float!
    }
    type Mutation {
      placeBet(eventId: ID!, stake: Float!): Bet!
      publish(eventId: ID!, seq: Int!, price: Float!): Int!
    }
    type Subscription {
      odds(eventId: ID!): OddsUpdate!
      countdown(from: Int!): Int!
    }
  `,
  resolvers: {
    Query: {
      hello: (_, { name }) => `Hello, ${name ?? 'world'}!`,
      event: (_, { id }) => (id === 'missing' ? null : { id, name: `Event ${id}`, price: 1.5 }),
    },
    Event: {
      liveScore: () => {
        throw new GraphQLError('The live score feed is down.', { extensions: { code: 'FEED_DOWN', retryable: true } });
      },
    },
    Mutation: {
      placeBet: (_, { eventId, stake }) => {
        if (stake <= 0) throw new GraphQLError('Stake must be positive.', { extensions: { code: 'BAD_STAKE' } });
        bets += 1;
        return { id: `b-${bets}`, eventId, stake };
      },
      publish: (_, { eventId, seq, price }) => {
        const set = subscribers.get(eventId);
        if (!set) return 0;
        for (const push of set) push({ eventId, seq, price });
        return set.size;
      },
    },
    Subscription: {
      odds: { subscribe: (_, { eventId }) => subscribe(eventId) },
      // Yields from, from - 1, ..., 1 and then completes: the server ends the subscription.
      countdown: {
        subscribe: async function* (_, { from }) {
          for (let i = from; i >= 1; i--) yield { countdown: i };
        },
      },
    },
  },
});

const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, logging: false });

const server = createServer((req, res) => {
  if (req.url === '/_peer/inits') return json(res, inits);
  if (req.url === '/_peer/subscribers') return json(res, activeSubscribers());
  if (req.url === '/_peer/pings') return json(res, pings);
  if (req.url === '/_peer/close' && req.method === 'POST') {
    for (const socket of wss.clients) socket.close(1000, 'closed by the test');
    return json(res, wss.clients.size);
  }
  return yoga(req, res);
});

function json(res, value) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    try {
      if (JSON.parse(String(data)).type === 'ping') pings += 1;
    } catch {
      // graphql-ws answers malformed messages itself.
    }
  });
});
useServer(
  {
    execute: (args) => args.rootValue.execute(args),
    subscribe: (args) => args.rootValue.subscribe(args),
    onConnect: (ctx) => {
      inits.push(ctx.connectionParams ?? null);
      // A rejected payload closes the socket with 4403 Forbidden, as graphql-ws does for onConnect === false.
      return ctx.connectionParams?.token !== 'rejected';
    },
    onSubscribe: async (ctx, _id, params) => {
      const { schema: s, execute, subscribe: sub, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params,
      });
      const args = {
        schema: s,
        operationName: params.operationName,
        document: parse(params.query),
        variableValues: params.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe: sub },
      };
      const errors = validate(args.schema, args.document);
      return errors.length ? errors : args;
    },
  },
  wss,
);

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

// The test host kills this process; also leave when its stdin closes (the parent died without killing it).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
