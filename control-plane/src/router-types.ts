/**
 * The only file the console imports from the server, and only for types (`import type`): the
 * router's shape gives the console a typed client without bundling any server code.
 */
export type { AppRouter } from './routers/_app.ts';
