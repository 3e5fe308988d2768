/**
 * The only file the console imports from the server, and only for types (`import type`): the
 * router's shape gives the console a typed client without bundling any server code.
 */
export type { AppRouter } from './routers/_app.ts';
/** The stable error codes and the shape of `error.data.reason` (issue 17.4): the console's catalogue is typed by them. */
export type { ErrorCode, ErrorParams } from './errors.ts';
export type { ErrorIssue, ErrorReason } from './error-mapping.ts';
