/**
 * SQL for rows a statement builds as JSON (a list page answered as the API shows it, with no mapping in
 * JavaScript): a timestamptz as the text `Date.prototype.toISOString` writes (UTC, the
 * milliseconds truncated from the microseconds as a Date holds them, `Z`), so a row
 * built in SQL says to the millisecond what a row mapped from a Date said.
 */
export const isoUtc = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
