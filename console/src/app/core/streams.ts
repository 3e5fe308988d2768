/** What a view keeps of a live stream (a tRPC subscription): a way to stop it. */
export interface Subscription {
  unsubscribe(): void;
}

/** The callbacks a view passes when it opens a stream (the client's `.subscribe(input, handlers)`). */
export interface StreamHandlers<T> {
  onData(value: T): void;
  onError?(err: unknown): void;
  onStarted?(): void;
}
