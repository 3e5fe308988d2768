import { parse, protocol, type PGlite } from '@electric-sql/pglite';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

/** How many distinct statements stay prepared; past it the least recently used is closed (lists build their SQL from filters). */
const MAX_STATEMENTS = 1000;
/** The server's answer when a prepared statement's result columns changed under it (a migration altered its table). */
const RESULT_TYPE_CHANGED = '0A000';

/** Names are unique in the process, so that two stores over one PGlite never prepare under the same name. */
let named = 0;

interface Prepared {
  name: string;
  /** Parameter type OIDs as the server inferred them at Parse: the serializers are chosen by them. */
  paramTypes: number[];
  /** The statement's RowDescription (absent when it returns no rows), prepended to each execution's messages for parsing. */
  rowDescription?: BackendMessage;
}

/**
 * PGlite's `query` sends every statement unnamed (Parse, Describe, Bind, Describe, Execute, Sync: six calls into the
 * WASM backend) and the backend parses and plans it again each time. Planning dominates: the workflow claim, with
 * three CTEs, took 1.5 ms per call of which 0.2 ms was execution (EXPLAIN ANALYZE on the provision bench). Here each
 * distinct statement text is prepared once under a name, as node-postgres and every server driver do, and then runs
 * as one Bind + Execute + Sync message: PostgreSQL's plan cache (plan_cache_mode auto: custom plans first, a generic
 * one once it is as good) does the rest. The claim then costs 0.24 ms (measured in a standalone run of both paths;
 * `npm run bench -- provision` shows the effect on provisioning).
 *
 * Locking is PGlite's own: the query mutex for every protocol exchange, and the transaction mutex as well for a
 * statement outside a transaction, exactly as `PGlite.query` takes them; a file-backed database is synced after a
 * statement outside a transaction, as `PGlite.query` does. Errors are PGlite's DatabaseError, with the statement
 * and parameters attached as PGlite attaches them.
 */
export class PreparedStatements {
  private readonly statements = new Map<string, Prepared>();

  constructor(private readonly db: PGlite, private readonly maxStatements = MAX_STATEMENTS) {}

  /** A statement outside any transaction (autocommit). */
  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.db._runExclusiveTransaction(() => this.db._runExclusiveQuery(async () => {
      try {
        return await this.run<T>(sql, params);
      } finally {
        await this.db.syncToFs();
      }
    }));
  }

  /** A statement inside a transaction this caller holds (PGlite's transaction mutex is already taken). */
  queryInTransaction<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.db._runExclusiveQuery(() => this.run<T>(sql, params));
  }

  private async run<T>(sql: string, params: readonly unknown[], retried = false): Promise<T[]> {
    // PGlite executes in this thread, and each queued statement starts in a microtask as the one before releases the
    // mutex: without a turn of the event loop in between, a queue of statements ran back to back and held up every
    // socket and timer until it was empty. Under 64 connections reading requests.list that was 0.2 s stalls (1.5 s at
    // load 12, measured with monitorEventLoopDelay), and connections whose request came in during one were answered
    // seconds late: the p99 of issue 15. One turn per statement (setImmediate: after the poll phase, so requests
    // are read and answers written) keeps every stall to one statement. The cost: a workflow step's statements now
    // share those turns with other work, so the provision bench's create steps (eight requests in flight) read
    // about 1.5x as long, while a request end to end is no slower. A turn only once statements had run 10 or 25 ms
    // without one, or only outside transactions, did not bring that back, and at 25 ms the p99 returned.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const statement = await this.prepared(sql, params);
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serialize = this.db.serializers[statement.paramTypes[i]!];
      return serialize ? serialize(v) : String(v);
    });
    const { messages } = await this.db.execProtocol(
      concat(protocol.serialize.bind({ statement: statement.name, values: values as string[] }), protocol.serialize.execute({}), protocol.serialize.sync()),
      { throwOnError: false, syncToFs: false },
    );
    const error = errorIn(messages);
    if (error) {
      if (error.code === RESULT_TYPE_CHANGED && !retried) {
        await this.forget(sql);
        return this.run(sql, params, true);
      }
      throw withStatement(error, sql, params);
    }
    const all = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
    return (parse.parseResults(all, this.db.parsers)[0]?.rows ?? []) as T[];
  }

  private async prepared(sql: string, params: readonly unknown[]): Promise<Prepared> {
    const seen = this.statements.get(sql);
    if (seen) {
      // Most recently used last, so that the first entry is the one to close when the cache is full.
      this.statements.delete(sql);
      this.statements.set(sql, seen);
      return seen;
    }
    if (this.statements.size >= this.maxStatements) await this.forget(this.statements.keys().next().value!);
    const name = `ganyun_${(++named).toString(36)}`;
    const { messages } = await this.db.execProtocol(
      concat(protocol.serialize.parse({ name, text: sql }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()),
      { throwOnError: false, syncToFs: false },
    );
    const error = errorIn(messages);
    if (error) throw withStatement(error, sql, params);
    const statement: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      ...rowDescriptionOf(messages),
    };
    this.statements.set(sql, statement);
    return statement;
  }

  private async forget(sql: string): Promise<void> {
    const statement = this.statements.get(sql);
    if (!statement) return;
    this.statements.delete(sql);
    await this.db.execProtocol(concat(protocol.serialize.close({ type: 'S', name: statement.name }), protocol.serialize.sync()), { throwOnError: false, syncToFs: false });
  }
}

function rowDescriptionOf(messages: readonly BackendMessage[]): { rowDescription?: BackendMessage } {
  const found = messages.find((m) => m.name === 'rowDescription');
  return found ? { rowDescription: found } : {};
}

function errorIn(messages: readonly BackendMessage[]): (Error & { code?: string }) | undefined {
  return messages.find((m) => m.name === 'error') as (Error & { code?: string }) | undefined;
}

/** As PGlite's own query errors: the statement and its parameters on the error, for the logs. */
function withStatement<E extends Error>(error: E, sql: string, params: readonly unknown[]): E {
  return Object.assign(error, { query: sql, params });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
