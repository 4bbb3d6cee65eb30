/**
 * What our backend kernels (wasmKernels.ts, webgpuKernels.ts) read from tfjs' Conv2DBackpropFilter attrs, and
 * the NHWC convolution geometry tfjs derives from them, in one place.
 */
import * as tf from '@tensorflow/tfjs';

export type ConvPad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
export type RoundingMode = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];
export type Shape4 = [number, number, number, number];

/** tfjs names channels-last three ways (attrs may omit it: the default is NHWC). */
export function isNHWC(dataFormat: unknown): boolean {
  return dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

export interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  filterShape: Shape4;
}

/** The forward convolution's geometry of a Conv2DBackpropFilter call (dilation 1: tfjs' conv gradient asserts it). */
export function backpropFilterInfo(xShape: readonly number[], attrs: BackpropFilterAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
