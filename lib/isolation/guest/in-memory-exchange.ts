import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { WireHttpRequest, WireHttpResponse } from '../guest-protocol.js';

/** A Node request listener: what an Express application is. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Runs one request through `listener` without a socket: the request is built in memory (the
 * body already parsed by the host, set as `req.body`), and the response's status, headers and
 * bytes are collected instead of written. The guest opens no port, in or out of its sandbox.
 * Rejects when the answer grows past `maxBodyBytes`.
 */
export function exchangeInMemory(listener: RequestListener, wire: WireHttpRequest, maxBodyBytes: number): Promise<WireHttpResponse> {
  return new Promise((resolve, reject) => {
    // Never connected: it carries the request's metadata (req.socket), no bytes.
    const request = new IncomingMessage(new Socket());
    Object.assign(request, { method: wire.method, url: wire.url, headers: wire.headers, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1 });
    (request as IncomingMessage & { body?: unknown }).body = wire.body;
    // The body was read by the host: the stream is at its end.
    request.push(null);
    const response = new ServerResponse(request);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const write = (chunk: unknown, encoding?: unknown): boolean => {
      // Headers count as sent from the first byte, as on a socket (Nest checks `headersSent` before replying).
      if (!response.headersSent) response.writeHead(response.statusCode);
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return true;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
      size += bytes.byteLength;
      if (size > maxBodyBytes) {
        done = true;
        reject(new Error(`its answer is larger than ${maxBodyBytes} bytes`));
      } else chunks.push(bytes);
      return true;
    };
    const end = (chunk?: unknown, encoding?: unknown): ServerResponse => {
      write(chunk, encoding);
      if (done) return response;
      done = true;
      resolve({ status: response.statusCode, headers: headersOf(response), body: new Uint8Array(Buffer.concat(chunks)) });
      response.emit('finish');
      return response;
    };
    Object.assign(response, { write, end });
    try {
      listener(request, response);
    } catch (error) {
      reject(error);
    }
  });
}

function headersOf(response: ServerResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value);
  }
  return headers;
}
