/** @internal A tiny protobuf writer: only what an ONNX ModelProto needs. */
export class __Pb {
  private buf = new Uint8Array(256);
  private n = 0;
  private ensure(k: number) {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  varint(v: number): this {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.n++] = v;
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: __Pb): this {
    return this.bytes(field, m.finish());
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.n, 4).setFloat32(0, v, true);
    this.n += 4;
    return this;
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

/** @internal ONNX TensorProto data types used here. */
export const FLOAT = 1, INT64 = 7, BOOL = 9;

/** @internal */
export const __tensor = (name: string, dims: number[], data: Float32Array | BigInt64Array, type: number): __Pb => {
  const t = new __Pb();
  for (const d of dims) t.int(1, d);
  t.int(2, type).str(8, name);
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
};

/** @internal */
export const __valueInfo = (name: string, dims: (number | string)[], type = FLOAT): __Pb => {
  const shape = new __Pb();
  for (const d of dims) shape.msg(1, typeof d === "number" ? new __Pb().int(1, d) : new __Pb().str(2, d));
  const tensorType = new __Pb().int(1, type).msg(2, shape);
  return new __Pb().str(1, name).msg(2, new __Pb().msg(1, tensorType));
};


/** @internal An ONNX attribute: int (`i`), float (`f`), string (`s`) or ints (`is`). */
export type __Attr = { name: string } & ({ i: number } | { f: number } | { s: string } | { is: number[] });

const __attr = (a: __Attr): __Pb => {
  const p = new __Pb().str(1, a.name);
  if ("i" in a) return p.int(3, a.i).int(20, 2);
  if ("f" in a) return p.float(2, a.f).int(20, 1);
  if ("s" in a) return p.str(4, a.s).int(20, 3);
  for (const v of a.is) p.int(8, v);
  return p.int(20, 7);
};

/**
 * @internal Collects the nodes, initializers, inputs and outputs of one ONNX graph and serialises
 * the ModelProto (IR version 8, default domain at the given opset).
 */
export class __OnnxGraph {
  private readonly nodes: __Pb[] = [];
  private readonly inits: __Pb[] = [];
  private readonly inputs: __Pb[] = [];
  private readonly outputs: __Pb[] = [];
  private k = 0;
  /** Add a node; returns its first output's name. */
  node(op: string, inputs: string[], outputs: string[], attrs: __Attr[] = []): string {
    const n = new __Pb();
    for (const i of inputs) n.str(1, i);
    for (const x of outputs) n.str(2, x);
    n.str(3, `${op}_${this.k++}`).str(4, op);
    for (const a of attrs) n.msg(5, __attr(a));
    this.nodes.push(n);
    return outputs[0];
  }
  /** A node whose single output gets a fresh name. */
  op(op: string, inputs: string[], attrs: __Attr[] = []): string {
    return this.node(op, inputs, [`${op.toLowerCase()}_${this.k}`], attrs);
  }
  init(name: string, dims: number[], data: Float32Array): string {
    this.inits.push(__tensor(name, dims, data, FLOAT));
    return name;
  }
  initI64(name: string, vals: number[]): string {
    this.inits.push(__tensor(name, [vals.length], BigInt64Array.from(vals.map(BigInt)), INT64));
    return name;
  }
  input(name: string, dims: (number | string)[], type = FLOAT): string {
    this.inputs.push(__valueInfo(name, dims, type));
    return name;
  }
  output(name: string, dims: (number | string)[], type = FLOAT): string {
    this.outputs.push(__valueInfo(name, dims, type));
    return name;
  }
  finish(graphName: string, opset = 17): Uint8Array {
    const g = new __Pb();
    for (const x of this.nodes) g.msg(1, x);
    g.str(2, graphName);
    for (const x of this.inits) g.msg(5, x);
    for (const x of this.inputs) g.msg(11, x);
    for (const x of this.outputs) g.msg(12, x);
    return new __Pb().int(1, 8).str(2, "sdfkit").msg(7, g).msg(8, new __Pb().str(1, "").int(2, opset)).finish();
  }
}
