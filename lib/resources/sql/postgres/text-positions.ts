/**
 * PostgreSQL's parser gives locations in UTF-8 bytes; the guard edits the text by UTF-16
 * index. An ASCII text needs no table; any other gets one, built in one pass.
 */
export class TextPositions {
  private readonly charAt?: Uint32Array;

  constructor(text: string) {
    const bytes = Buffer.byteLength(text);
    if (bytes === text.length) return;
    const charAt = new Uint32Array(bytes + 1);
    let byte = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.codePointAt(index)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let offset = 0; offset < width; offset++) charAt[byte + offset] = index;
      byte += width;
      if (code >= 0x10000) index++;
    }
    charAt[bytes] = text.length;
    this.charAt = charAt;
  }

  /** The UTF-16 index of a byte location; -1 for a location the parser did not give. */
  index(byteLocation: unknown): number {
    if (typeof byteLocation !== 'number' || byteLocation < 0) return -1;
    if (this.charAt === undefined) return byteLocation;
    return byteLocation < this.charAt.length ? this.charAt[byteLocation]! : -1;
  }
}
