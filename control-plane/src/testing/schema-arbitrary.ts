import fc from 'fast-check';

/**
 * Inputs for a procedure generated from its published JSON Schema (/api/catalog), for the fuzz spec: mostly
 * shaped like what the schema asks (so the call gets past the first check and reaches deeper code), with
 * hostile values mixed in at any depth (NUL, lone surrogates, huge and negative numbers, injection text, wrong
 * types, unknown keys). Addresses are kept on loopback so that no generated call leaves the machine.
 */
type Schema = {
  type?: string | string[]; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[];
  properties?: Record<string, Schema>; required?: string[]; items?: Schema; minItems?: number; maxItems?: number;
  minLength?: number; maxLength?: number; pattern?: string; format?: string; minimum?: number; maximum?: number;
  exclusiveMinimum?: number; exclusiveMaximum?: number;
};

const HOSTILE_TEXT = [
  '', ' ', '\u0000', 'a\u0000b', 'x\ud800', '\udc00', '💥'.repeat(300), 'x'.repeat(5000), "'; DROP TABLE users; --",
  '<script>alert(1)</script>', '../../etc/passwd', '%00', '${7*7}', '\\', '"', 'null', 'NaN', '-1', '99999999999999999999',
  '2026-02-30T25:61:00Z', '00000000-0000-0000-0000-000000000000', '::', '0.0.0.0/0', '255.255.255.255/33', 'ffff::/200',
];
const HOSTILE_NUMBER = [-1, 0, -0, 1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 0.5, 1e-9];
const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.constantFrom(...HOSTILE_NUMBER),
  fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }),
);

/** Property names whose values would make the server open a connection: always a loopback address. */
const LOOPBACK: Record<string, fc.Arbitrary<unknown>> = {
  host: fc.constantFrom('127.0.0.1', '::1', 'localhost'),
  mgmtAddress: fc.constantFrom('127.0.0.1', '::1'),
  endpoint: fc.constantFrom('http://127.0.0.1:9/', 'http://[::1]:9/x'),
  server: fc.constantFrom('https://127.0.0.1:9'),
  url: fc.constantFrom('http://127.0.0.1:9/health', 'https://127.0.0.1:9/'),
  connection: fc.constantFrom('postgres://127.0.0.1:9/x'),
};

function typed(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, depth + 1)));
  if (schema.allOf?.length) return arbitraryFor(schema.allOf[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 500));
        } catch {
          // a pattern JavaScript cannot compile: plain text below
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40), unit: 'grapheme' });
    }
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 100_000, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 5) return fc.constant([]);
      const min = schema.minItems ?? 0;
      return fc.array(arbitraryFor(schema.items ?? {}, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case 'object':
    default: {
      if (!schema.properties || depth > 5) return fc.constant({});
      const props = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, LOOPBACK[k] ?? arbitraryFor(s, depth + 1)]));
      const record = fc.record(props, { requiredKeys: schema.required ?? [] });
      // Now and then a key the schema does not know.
      return fc.tuple(record, fc.option(fc.constantFrom('__proto__', 'constructor', 'extra', '\u0000'), { freq: 8 })).map(([r, extra]) =>
        extra === null ? r : { ...r, [extra]: 'x' });
    }
  }
}

export function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: typed(schema, depth) }, { weight: 1, arbitrary: hostile });
}

/** An input for a whole procedure: now and then anything at all in place of the input. */
export function procedureInput(schema: unknown): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.oneof(fc.constant(undefined), hostile);
  return fc.oneof({ weight: 8, arbitrary: arbitraryFor(schema as Schema) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
}
