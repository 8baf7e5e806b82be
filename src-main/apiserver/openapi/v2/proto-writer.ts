/**
 * Minimal protobuf (proto3) encoder: the three wire types the gnostic OpenAPI v2 messages need (varint for bools,
 * length-delimited for strings and sub-messages, fixed64 for doubles). Like Go's proto.Marshal, fields are written in
 * the order the caller gives (field-number order) and proto3 scalars at their zero value are left out, while a
 * sub-message that exists is always written, even when empty.
 */

export class ProtoWriter {
  private chunks: Buffer[] = [];

  private tag(no: number, wire: number): void {
    this.varint((no << 3) | wire);
  }

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.chunks.push(Buffer.from(bytes));
  }

  private bytes(no: number, data: Buffer): void {
    this.tag(no, 2);
    this.varint(data.length);
    this.chunks.push(data);
  }

  string(no: number, value: string | undefined): this {
    if (value) this.bytes(no, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(no: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.bytes(no, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(no: number, value: boolean | undefined): this {
    if (value) {
      this.tag(no, 0);
      this.varint(1);
    }
    return this;
  }

  /** A bool inside a oneof: written even when false, since being set is what the oneof records. */
  oneofBool(no: number, value: boolean): this {
    this.tag(no, 0);
    this.varint(value ? 1 : 0);
    return this;
  }

  double(no: number, value: number | undefined): this {
    if (value) {
      this.tag(no, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value);
      this.chunks.push(b);
    }
    return this;
  }

  int64(no: number, value: number | undefined): this {
    if (value) {
      this.tag(no, 0);
      this.varint(value);
    }
    return this;
  }

  message(no: number, build: ((w: ProtoWriter) => void) | undefined): this {
    if (!build) return this;
    const inner = new ProtoWriter();
    build(inner);
    this.bytes(no, inner.finish());
    return this;
  }

  messages<T>(no: number, items: readonly T[] | undefined, build: (w: ProtoWriter, item: T) => void): this {
    for (const item of items ?? []) this.message(no, (w) => build(w, item));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
