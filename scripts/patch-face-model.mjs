/**
 * patch-face-model.mjs — adds TFLite metadata to BlazeFace short range so MediaPipe Tasks can load it.
 *
 * Usage: node scripts/patch-face-model.mjs [output.tflite]   (default: public/vendor/mediapipe/…)
 *        or import { patchFaceModel } from './scripts/patch-face-model.mjs' (vite.config.ts does).
 *
 * Why: `@mediapipe/face_detection` (npm) ships `face_detection_short_range.tflite` without TFLite metadata,
 * and `FaceDetector.createFromOptions` of `@mediapipe/tasks-vision` then fails with "Input tensor has type
 * float32: it requires specifying NormalizationOptions metadata". We add what Google's metadata writer adds:
 * a buffer holding a `ModelMetadata` flatbuffer (tensorflow/tflite-support,
 * tensorflow_lite_support/metadata/metadata_schema.fbs, file identifier "M001") with one subgraph whose
 * input tensor has ImageProperties {color_space: RGB} and the process unit NormalizationOptions {mean:[127.5],
 * std:[127.5]} (pixels 0..255 → -1..1), and two named output tensors, `regressors` and `classificators`;
 * plus a `Metadata {name: "TFLITE_METADATA", buffer: <its index>}` entry in the model's `metadata` list
 * (TFLite schema: tensorflow/tflite-micro, tensorflow/compiler/mlir/lite/schema/schema.fbs, "TFL3").
 *
 * How, without flatc and without a generated reader for the whole TFLite schema: flatbuffer offsets are
 * relative and point forward (to higher addresses), and the builder writes back to front. So we copy the
 * ENTIRE original file, byte for byte, as one 16-byte-aligned block at the end of a new buffer, then build
 * in front of it a new metadata buffer, new `buffers` and `metadata` vectors (the old Buffer/Metadata
 * tables are referenced where they are, inside the copied block, plus one new entry each) and a new root
 * `Model` table whose other fields (operator_codes, subgraphs, description, metadata_buffer,
 * signature_defs) point at the old objects inside the block. Every old relative offset stays valid because
 * the block moves as a unit, and its alignment is kept (TFLite buffers are force_align 16). The old root
 * offset and vtable remain in the block, unreferenced. This breaks only for Buffers that use the absolute
 * `offset`/`size` fields (models > 2 GB), so we refuse those; unknown Model fields are refused too.
 * The patched file is ~1 KB larger.
 *
 * Licence: the model comes from MediaPipe (github.com/google-ai-edge/mediapipe,
 * mediapipe/modules/face_detection/face_detection_short_range.tflite, via the npm package
 * @mediapipe/face_detection), Copyright Google LLC, Apache License 2.0
 * (https://www.apache.org/licenses/LICENSE-2.0). The patched model is a modified version of it: only the
 * metadata above is added, weights and graph are unchanged. See also src/features/data/worker/face/README.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, ByteBuffer } from 'flatbuffers';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FACE_MODEL_SOURCE = resolve(
  ROOT,
  'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite',
);
export const FACE_MODEL_TARGET = resolve(ROOT, 'public/vendor/mediapipe/face_detection_short_range.tflite');

// Field slots (declaration order) of the tables we touch.
const MODEL = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
};
const MODEL_OFFSET_FIELDS = ['operatorCodes', 'subgraphs', 'description', 'metadataBuffer', 'signatureDefs'];
const BUFFER = { data: 0, offset: 1, size: 2 };
const SUBGRAPH_OUTPUTS = 2; // SubGraph { tensors, inputs, outputs, ... }
const CONTENT_PROPERTIES_IMAGE = 2; // union ContentProperties { FeatureProperties, ImageProperties, ... }
const PROCESS_UNIT_NORMALIZATION = 1; // union ProcessUnitOptions { NormalizationOptions, ... }
const COLOR_SPACE_RGB = 1;

/** Byte offset of field `slot` inside `table`, or 0 when absent. */
const fieldAt = (bb, table, slot) => bb.__offset(table, 4 + 2 * slot);
/** Absolute position of the object an offset field refers to. */
const deref = (bb, pos) => pos + bb.readUint32(pos);
/** Absolute positions of the tables/strings a vector of offsets refers to. */
function vectorTargets(bb, vec) {
  const n = bb.readUint32(vec);
  return Array.from({ length: n }, (_, i) => deref(bb, vec + 4 + 4 * i));
}

/** The ModelMetadata flatbuffer (finished, with file identifier "M001"). */
export function buildFaceMetadata(outputCount) {
  const b = new Builder(1024);
  const str = (s) => b.createString(s);

  // Input tensor: content = ImageProperties {RGB}; process_units = [NormalizationOptions {127.5, 127.5}].
  b.startObject(2); // ImageProperties
  b.addFieldInt8(0, COLOR_SPACE_RGB, 0);
  const imageProps = b.endObject();
  b.startObject(3); // Content { content_properties_type, content_properties, range }
  b.addFieldInt8(0, CONTENT_PROPERTIES_IMAGE, 0);
  b.addFieldOffset(1, imageProps, 0);
  const content = b.endObject();
  const floats = (values) => {
    b.startVector(4, values.length, 4);
    for (const v of [...values].reverse()) b.addFloat32(v);
    return b.endVector();
  };
  const mean = floats([127.5]);
  const std = floats([127.5]);
  b.startObject(2); // NormalizationOptions { mean, std }
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();
  b.startObject(2); // ProcessUnit { options_type, options }
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, normalization, 0);
  const processUnit = b.endObject();
  const offsets = (items) => {
    b.startVector(4, items.length, 4);
    for (const o of [...items].reverse()) b.addOffset(o);
    return b.endVector();
  };
  const inputName = str('image');
  const inputDescription = str('Input image, RGB, normalised to [-1, 1].');
  const units = offsets([processUnit]);
  b.startObject(7); // TensorMetadata { name, description, dimension_names, content, process_units, ... }
  b.addFieldOffset(0, inputName, 0);
  b.addFieldOffset(1, inputDescription, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, units, 0);
  const input = b.endObject();

  const outputNames = ['regressors', 'classificators'];
  if (outputCount !== outputNames.length) throw new Error(`expected 2 output tensors, found ${outputCount}`);
  const outputs = outputNames.map((name) => {
    const n = str(name);
    b.startObject(7);
    b.addFieldOffset(0, n, 0);
    return b.endObject();
  });

  const inputs = offsets([input]);
  const outputVec = offsets(outputs);
  b.startObject(7); // SubGraphMetadata { name, description, input_tensor_metadata, output_tensor_metadata, ... }
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputVec, 0);
  const subgraph = b.endObject();

  const name = str('BlazeFace short range');
  const description = str('MediaPipe face detection (short range), metadata added by scripts/patch-face-model.mjs.');
  const license = str('Apache License 2.0: https://www.apache.org/licenses/LICENSE-2.0');
  const minParser = str('1.0.0');
  const subgraphs = offsets([subgraph]);
  b.startObject(8); // ModelMetadata { name, description, version, subgraph_metadata, author, license, associated_files, min_parser_version }
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, description, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, 'M001');
  return b.asUint8Array();
}

/** Returns the model bytes with a TFLITE_METADATA entry added (see the header comment for how). */
export function addMetadata(model) {
  const bb = new ByteBuffer(model);
  if (!bb.__has_identifier('TFL3')) throw new Error('not a TFLite model (no TFL3 identifier)');
  const root = bb.readUint32(0);
  const vtable = root - bb.readInt32(root);
  const vtableFields = (bb.readUint16(vtable) - 4) / 2;
  for (let slot = 8; slot < vtableFields; slot++)
    if (fieldAt(bb, root, slot)) throw new Error(`Model field ${slot} is unknown to this script`);

  const at = (slot) => fieldAt(bb, root, slot);
  const oldBuffers = at(MODEL.buffers) ? vectorTargets(bb, deref(bb, root + at(MODEL.buffers))) : [];
  const oldMetadata = at(MODEL.metadata) ? vectorTargets(bb, deref(bb, root + at(MODEL.metadata))) : [];
  for (const buf of oldBuffers)
    if (fieldAt(bb, buf, BUFFER.offset) || fieldAt(bb, buf, BUFFER.size))
      throw new Error('external buffers are not supported');
  for (const md of oldMetadata) {
    const nameAt = fieldAt(bb, md, 0);
    if (nameAt && bb.__string(md + nameAt) === 'TFLITE_METADATA') throw new Error('model already has TFLITE_METADATA');
  }
  const subgraphs = vectorTargets(bb, deref(bb, root + at(MODEL.subgraphs)));
  const outputs = deref(bb, subgraphs[0] + fieldAt(bb, subgraphs[0], SUBGRAPH_OUTPUTS));
  const metadataBytes = buildFaceMetadata(bb.readUint32(outputs));

  // 1. The whole old file, 16-aligned. Builder offsets count from the END of the final buffer, so a position
  //    p inside the block is offset `blockEnd - p` where blockEnd is the builder offset of the block's start + L.
  const b = new Builder(model.length + metadataBytes.length + 1024);
  b.prep(16, model.length);
  for (let i = model.length - 1; i >= 0; i--) b.writeInt8(model[i]);
  const blockStart = b.offset(); // builder offset of old byte 0
  const old = (pos) => blockStart - pos;

  // 2. New Buffer holding the metadata (data is force_align 16 in the schema).
  b.startVector(1, metadataBytes.length, 16);
  for (let i = metadataBytes.length - 1; i >= 0; i--) b.addInt8(metadataBytes[i]);
  const data = b.endVector();
  b.startObject(3);
  b.addFieldOffset(BUFFER.data, data, 0);
  const newBuffer = b.endObject();
  const metadataIndex = oldBuffers.length;

  // 3. New Metadata entry and the two extended vectors.
  const name = b.createString('TFLITE_METADATA');
  b.startObject(2);
  b.addFieldOffset(0, name, 0);
  b.addFieldInt32(1, metadataIndex, 0); // buffer:uint (same bytes as int32 for small values)
  const newMetadata = b.endObject();
  const offsets = (items) => {
    b.startVector(4, items.length, 4);
    for (const o of [...items].reverse()) b.addOffset(o);
    return b.endVector();
  };
  const buffers = offsets([...oldBuffers.map(old), newBuffer]);
  const metadata = offsets([...oldMetadata.map(old), newMetadata]);

  // 4. New root Model: version copied, other fields pointing into the old block.
  b.startObject(8);
  if (at(MODEL.version)) b.addFieldInt32(MODEL.version, bb.readUint32(root + at(MODEL.version)), 0);
  for (const key of MODEL_OFFSET_FIELDS) {
    const slot = MODEL[key];
    if (at(slot)) b.addFieldOffset(slot, old(deref(bb, root + at(slot))), 0);
  }
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  b.addFieldOffset(MODEL.metadata, metadata, 0);
  b.finish(b.endObject(), 'TFL3');
  const out = b.asUint8Array();
  if ((out.length - blockStart) % 16 !== 0) throw new Error('copied model block lost its 16-byte alignment');
  return out;
}

/** Reads the npm model, adds the metadata, writes it to `target`; returns the size in bytes. */
export function patchFaceModel(target = FACE_MODEL_TARGET, source = FACE_MODEL_SOURCE) {
  const patched = addMetadata(new Uint8Array(readFileSync(source)));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, patched);
  return patched.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] ? resolve(process.argv[2]) : FACE_MODEL_TARGET;
  const size = patchFaceModel(target);
  console.log(`wrote ${target} (${size} bytes)`);
}
