/**
 * Two requests never reach Next's handlers: a method the fetch standard forbids (TRACE, TRACK,
 * CONNECT: Next fails to build a Request and answers a plain-text 500) and a request Node's HTTP
 * parser refuses (an unknown method such as FOO: an empty 400). The HTTP server Next listens on
 * is found among the process's handles and answers both in the API's JSON error format. It also
 * stamps each request with the socket's peer address (lib/http/client-address.ts), and answers
 * what it can from memory before Next (lib/http/memory-answers.ts).
 */
import http from "node:http";
import { errorAnswer, type ErrorAnswer } from "@/lib/http/errors";
import { stampPeer } from "@/lib/http/client-address";
import { answerFromMemory } from "@/lib/http/memory-answers";
import { isLongPageAddress, longUrlPage } from "./long-url-page";

const FORBIDDEN = new Set(["TRACE", "TRACK", "CONNECT"]);

const withLength = (e: ErrorAnswer) => ({ ...e.headers, "Content-Length": String(Buffer.byteLength(e.body)) });

export function guardHttpServers(): number {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  const servers = handles.filter((h): h is http.Server => h instanceof http.Server);
  for (const server of servers) {
    if ((server as { __syncwatchGuarded?: boolean }).__syncwatchGuarded) continue;
    (server as { __syncwatchGuarded?: boolean }).__syncwatchGuarded = true;
    const listeners = server.listeners("request") as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
    server.removeAllListeners("request");
    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.method && FORBIDDEN.has(req.method)) {
        const e = errorAnswer("METHOD_NOT_ALLOWED", `${req.method} is not allowed.`, {
          headers: { Allow: "GET, HEAD, POST, PATCH, DELETE, OPTIONS" },
        });
        res.writeHead(e.status, withLength(e)).end(e.body);
        return;
      }
      stampPeer(req); // the client address the failed-authentication limits count (lib/http/client-address.ts)
      const toNext = () => {
        for (const l of listeners) l(req, res);
      };
      const fromMemory = answerFromMemory(req, res);
      if (fromMemory === false) toNext();
      else
        fromMemory.then(
          (taken) => taken || toNext(),
          () => res.headersSent || toNext(),
        );
    });
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || error.code === "ECONNRESET") return void socket.destroy();
      // a page address over the parser's limit gets a page for people (the API keeps its JSON answer)
      const e =
        error.code === "HPE_HEADER_OVERFLOW" && isLongPageAddress((error as { rawPacket?: unknown }).rawPacket)
          ? longUrlPage()
          : errorAnswer("BAD_REQUEST", "The request could not be parsed (unknown method or malformed HTTP).");
      const head = Object.entries({ ...withLength(e), Connection: "close" }).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.end(`HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\n${head.join("")}\r\n${e.body}`);
    });
  }
  return servers.length;
}
