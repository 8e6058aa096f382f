"""The encoder's ONNX graph made cheaper to run, without the ``onnx`` package: the few
protobuf fields the rewrites touch are read and written here.

Rewrites of the MiniLM file (``rashomon.embed``), all by onnxruntime's own operators:

- ``fuse_gelu``: each feed-forward layer's GELU, exported as seven nodes (bias add,
  divide, erf, add, two products), becomes one ``BiasGelu``, which onnxruntime's loader
  does not fuse in this export. Same arithmetic: vectors within 2e-7, a twelfth less CPU.
- ``fuse_attention`` and ``bias_into_attention``: each layer's self-attention, some twenty
  nodes, becomes one ``MultiHeadAttention`` that also adds the query, key and value biases.
- ``quantize_matmuls``: the file keeps each weight matrix as int8 with a per-column scale,
  which onnxruntime multiplies back to float32 when it loads the model, so every product
  runs in float32. ``DynamicQuantizeMatMul`` takes the int8 weights and their scales
  instead: the weights stay exactly the file's, the activations are quantized to 8 bits
  per call (one scale for the whole input), and the products run on the CPU's int8
  instructions, about 2.3x faster. Vectors move (cosine 0.97 or more to the float ones),
  and because an input's scale is taken over the whole batch, a text's vector depends on
  the texts run with it: such a session runs one text per call (``embed.Encoder``).

Protobuf wire format: each field is a varint key (field number << 3 | wire type) then a
varint (type 0), 8 bytes (1), a length and that many bytes (2), or 4 bytes (5). ONNX
field numbers used: ModelProto graph 7, opset_import 8; GraphProto node 1, initializer 5,
output 12; NodeProto input 1, output 2, name 3, op_type 4, domain 7; TensorProto and
ValueInfoProto name 8 and 1; TensorProto data_type 2, raw_data 9; OperatorSetIdProto
domain 1, version 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: The onnxruntime operator domain of ``BiasGelu`` and ``DynamicQuantizeMatMul``.
CONTRIB_DOMAIN = "com.microsoft"

Field = tuple[int, int, bytes | int]  # field number, wire type, payload


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        if not value:
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def fields(data: bytes) -> Iterator[Field]:
    """The top-level fields of one protobuf message, in order."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, wire, value
        elif wire in (1, 2, 5):
            if wire == 2:
                size, pos = _varint(data, pos)
            else:
                size = 8 if wire == 1 else 4
            yield number, wire, data[pos:pos + size]
            pos += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def field_bytes(number: int, wire: int, payload: bytes | int) -> bytes:
    """One field as it is written (the inverse of one step of ``fields``)."""
    key = _encode_varint(number << 3 | wire)
    if wire == 0:
        return key + _encode_varint(int(payload))
    assert isinstance(payload, bytes)
    if wire == 2:
        return key + _encode_varint(len(payload)) + payload
    return key + payload


def _strings(message: bytes, number: int) -> list[str]:
    return [v.decode("utf-8") for n, w, v in fields(message)
            if n == number and w == 2 and isinstance(v, bytes)]


def _node_bytes(inputs: list[str], outputs: list[str], name: str, op_type: str,
                attributes: dict[str, int], domain: str) -> bytes:
    # AttributeProto: name 1, i 3, type 20 (2: INT)
    return b"".join([*(field_bytes(1, 2, s.encode()) for s in inputs),
                     *(field_bytes(2, 2, s.encode()) for s in outputs),
                     field_bytes(3, 2, name.encode()), field_bytes(4, 2, op_type.encode()),
                     *(field_bytes(5, 2, field_bytes(1, 2, key.encode()) + field_bytes(3, 0, v)
                                   + field_bytes(20, 0, 2))
                       for key, v in attributes.items()),
                     *([field_bytes(7, 2, domain.encode())] if domain else [])])


@dataclass
class Node:
    inputs: list[str]
    outputs: list[str]
    op_type: str
    raw: bytes  # the NodeProto as read; rewritten nodes are written anew


class Graph:
    """A model's nodes, read from its bytes, to rewrite and write back (``to_bytes``)."""

    def __init__(self, model: bytes) -> None:
        self._top = list(fields(model))
        graph = next(v for n, w, v in self._top if n == 7 and isinstance(v, bytes))
        self._fields = list(fields(graph))
        self.initializers = {_strings(v, 8)[0] for n, w, v in self._fields
                             if n == 5 and isinstance(v, bytes)}
        self.outputs = {_strings(v, 1)[0] for n, w, v in self._fields
                        if n == 12 and isinstance(v, bytes)}
        self.nodes = [Node(_strings(v, 1), _strings(v, 2), (_strings(v, 4) or [""])[0], v)
                      for n, w, v in self._fields if n == 1 and isinstance(v, bytes)]
        self.producer = {out: node for node in self.nodes for out in node.outputs}
        self.consumers: dict[str, list[Node]] = {}
        for node in self.nodes:
            for name in node.inputs:
                self.consumers.setdefault(name, []).append(node)

    def made_by(self, name: str, op_type: str) -> Node | None:
        """The node of type ``op_type`` that computes ``name``, if one does."""
        node = self.producer.get(name)
        return node if node is not None and node.op_type == op_type else None

    def only_reader(self, node: Node, op_type: str) -> Node | None:
        """The one node that reads ``node``'s output, if it is one of type ``op_type``."""
        readers = self.consumers.get(node.outputs[0], [])
        return readers[0] if len(readers) == 1 and readers[0].op_type == op_type else None

    def replace(self, node: Node, inputs: list[str], op_type: str,
                attributes: dict[str, int] | None = None, domain: str = CONTRIB_DOMAIN
                ) -> None:
        """``node`` computes its outputs with another operator on these inputs instead
        (integer ``attributes``); nodes no longer read are dropped by ``to_bytes``."""
        name = (_strings(node.raw, 3) or [node.outputs[0]])[0]
        for old in node.inputs:
            self.consumers[old] = [n for n in self.consumers.get(old, []) if n is not node]
        for new in inputs:
            self.consumers.setdefault(new, []).append(node)
        node.inputs, node.op_type = inputs, op_type
        node.raw = _node_bytes(inputs, node.outputs, f"{name}_{op_type}", op_type,
                               attributes or {}, domain)

    def prepend(self, inputs: list[str], output: str, op_type: str,
                attributes: dict[str, int]) -> None:
        """A node of the default domain that reads only graph inputs, run first."""
        node = Node(inputs, [output], op_type,
                    _node_bytes(inputs, [output], output, op_type, attributes, ""))
        self.nodes.insert(0, node)
        self._fields.insert(0, (1, 2, node.raw))
        self.producer[output] = node
        for name in inputs:
            self.consumers.setdefault(name, []).append(node)

    def initializer_floats(self, name: str) -> bytes | None:
        """The raw little-endian float32 data of initializer ``name``; None if it is
        stored otherwise (another type, or as a list of numbers)."""
        for n, _, v in self._fields:
            if n == 5 and isinstance(v, bytes) and _strings(v, 8)[0] == name:
                parts = {k: p for k, _, p in fields(v) if k in (2, 9)}
                raw = parts.get(9)
                return raw if parts.get(2) == 1 and isinstance(raw, bytes) else None
        return None

    def add_initializer(self, name: str, floats: bytes) -> None:
        """A one-dimensional float32 initializer of these raw bytes."""
        # TensorProto: dims 1, data_type 2 (1: FLOAT), name 8, raw_data 9
        tensor = (field_bytes(1, 0, len(floats) // 4) + field_bytes(2, 0, 1)
                  + field_bytes(8, 2, name.encode()) + field_bytes(9, 2, floats))
        self._fields.append((5, 2, tensor))
        self.initializers.add(name)

    def to_bytes(self) -> bytes:
        """The model with the nodes as they are now, less the nodes and initializers
        nothing reads, and the contrib operators' domain imported."""
        read, live = set(self.outputs), set()
        for node in reversed(self.nodes):  # nodes are stored in topological order
            if any(out in read for out in node.outputs):
                live.add(id(node))
                read.update(node.inputs)
        nodes = iter(self.nodes)
        kept = []
        for n, w, v in self._fields:
            if n == 1:
                node = next(nodes)
                if id(node) in live:
                    kept.append(field_bytes(1, 2, node.raw))
            # an initializer nothing reads would have onnxruntime warn as it loads
            elif n != 5 or (isinstance(v, bytes) and _strings(v, 8)[0] in read):
                kept.append(field_bytes(n, w, v))
        graph = b"".join(kept)
        top = [field_bytes(n, w, graph if n == 7 else v) for n, w, v in self._top]
        domains = {(_strings(v, 1) or [""])[0] for n, w, v in self._top
                   if n == 8 and isinstance(v, bytes)}
        if CONTRIB_DOMAIN not in domains:
            top.append(field_bytes(8, 2, field_bytes(1, 2, CONTRIB_DOMAIN.encode())
                                   + field_bytes(2, 0, 1)))
        return b"".join(top)


def fuse_gelu(graph: Graph) -> int:
    """Each ``x * 0.5 * (1 + erf(x / sqrt 2))`` with ``x = y + bias`` (an initializer)
    made one ``BiasGelu(y, bias)``; returns how many."""
    fused = 0
    for erf in [n for n in graph.nodes if n.op_type == "Erf"]:
        divide = graph.made_by(erf.inputs[0], "Div")
        biased = divide and graph.made_by(divide.inputs[0], "Add")
        one_plus = graph.only_reader(erf, "Add")
        half = one_plus and graph.only_reader(one_plus, "Mul")
        last = half and graph.only_reader(half, "Mul")
        if not (biased and last and biased.inputs[1] in graph.initializers
                and biased.outputs[0] in (half.inputs + last.inputs)):
            continue
        graph.replace(last, biased.inputs, "BiasGelu")
        fused += 1
    return fused


def quantize_matmuls(graph: Graph) -> int:
    """Each product by a stored int8 weight (``MatMul`` of a ``Mul`` of a ``Cast`` of an
    initializer: the file's dequantization) made a ``DynamicQuantizeMatMul`` of the int8
    weight and its scale; returns how many."""
    quantized = 0
    for matmul in [n for n in graph.nodes if n.op_type == "MatMul"]:
        if len(matmul.inputs) != 2:
            continue
        scaled = graph.made_by(matmul.inputs[1], "Mul")
        cast = scaled and graph.made_by(scaled.inputs[0], "Cast")
        if not (cast and cast.inputs[0] in graph.initializers):
            continue
        graph.replace(matmul, [matmul.inputs[0], cast.inputs[0], scaled.inputs[1]],
                      "DynamicQuantizeMatMul")
        quantized += 1
    return quantized


def _source(graph: Graph, name: str, chain: list[str]) -> str | None:
    """What ``name`` is computed from through nodes of the types ``chain`` (each reading
    the next one's output as its first input), if it is."""
    for op_type in chain:
        node = graph.made_by(name, op_type)
        if node is None:
            return None
        name = node.inputs[0]
    return name


def fuse_attention(graph: Graph, heads: int, mask: str = "attention_mask") -> int:
    """Each layer's self-attention, exported as some twenty nodes from its projected
    query, key and value (the heads split by reshapes and transposes, both sides scaled,
    a mask added, softmax, a guard against rows of NaN, the heads merged again), made
    one ``MultiHeadAttention`` of the three projections and the padding ``mask`` (a
    graph input of 1 for tokens, 0 for padding); returns how many."""
    mask_int = f"{mask}_int32"
    fused = 0
    for softmax in [n for n in graph.nodes if n.op_type == "Softmax"]:
        masked = graph.made_by(softmax.inputs[0], "Add")
        scores = masked and graph.made_by(masked.inputs[0], "MatMul")
        guards = [n for n in graph.consumers.get(softmax.outputs[0], []) if n.op_type == "Where"]
        context = guards and graph.only_reader(guards[0], "MatMul")
        merged = context and graph.only_reader(context, "Transpose")
        out = merged and graph.only_reader(merged, "Reshape")
        if not (scores and context and out):
            continue
        query = _source(graph, scores.inputs[0], ["Mul", "Transpose", "Reshape"])
        key = _source(graph, scores.inputs[1],
                      ["Mul", "Reshape", "Transpose", "Reshape", "Transpose", "Reshape"])
        value = _source(graph, context.inputs[1], ["Transpose", "Reshape"])
        if not (query and key and value):
            continue
        if mask_int not in graph.producer:
            graph.prepend([mask], mask_int, "Cast", {"to": 6})  # TensorProto INT32
        graph.replace(out, [query, key, value, "", mask_int], "MultiHeadAttention",
                      {"num_heads": heads})
        fused += 1
    return fused


def bias_into_attention(graph: Graph, heads: int) -> int:
    """Each ``MultiHeadAttention`` whose query, key and value are projections plus a
    stored bias (an ``Add`` of an initializer) made to read the projections and the three
    biases as its own ``bias`` input, which it adds as it lays the heads out; returns how
    many. Same additions: vectors unchanged to the bit (quantized and float), 18 nodes
    fewer for MiniLM-L6."""
    moved = 0
    for attention in [n for n in graph.nodes if n.op_type == "MultiHeadAttention"]:
        projections, biases = [], []
        for name in attention.inputs[:3]:
            add = graph.made_by(name, "Add")
            stored = [i for i in add.inputs if i in graph.initializers] if add else []
            if add is None or len(stored) != 1 or len(add.inputs) != 2 \
                    or graph.initializer_floats(stored[0]) is None:
                break
            projections.append(next(i for i in add.inputs if i != stored[0]))
            biases.append(stored[0])
        else:
            name = f"{attention.outputs[0]}_qkv_bias"
            graph.add_initializer(name, b"".join(graph.initializer_floats(b) or b""
                                                 for b in biases))
            graph.replace(attention, [*projections, name, *attention.inputs[4:]],
                          "MultiHeadAttention", {"num_heads": heads})
            moved += 1
    return moved
