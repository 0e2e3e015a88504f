/**
 * The request a piece of work belongs to, across its awaits: route() runs each request inside it,
 * so an error that escapes the request (an unhandled rejection, an uncaught exception) can be
 * logged with the request id its answer carried.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const requests = new AsyncLocalStorage<string>();

export const inRequest = <T>(requestId: string, work: () => T): T => requests.run(requestId, work);

/** The id of the request the current code runs for, if any. */
export const currentRequestId = (): string | undefined => requests.getStore();
