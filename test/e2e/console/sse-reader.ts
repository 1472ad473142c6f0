/** A server-sent event stream read with fetch (Node has no EventSource): each `data:` line parsed as JSON. */
export class SseReader<T> {
  private readonly received: T[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly abort = new AbortController();

  private constructor() {}

  /** Opens the stream; rejects with the status when the server refuses it. */
  static async open<T>(url: string, headers: Record<string, string>): Promise<SseReader<T>> {
    const reader = new SseReader<T>();
    const response = await fetch(url, { headers, signal: reader.abort.signal });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw Object.assign(new Error(`stream refused: ${response.status}`), { status: response.status });
    }
    void reader.pump(response.body!);
    return reader;
  }

  /** The first event (already received or to come) that matches, within `timeoutMs`. */
  async next(matches: (event: T) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(matches);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data !== '') this.received.push(JSON.parse(data) as T);
          for (const wake of [...this.waiters]) wake();
        }
      }
    } catch {
      // aborted by close()
    }
  }
}
