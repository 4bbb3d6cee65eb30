import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { broadcastReshapes, convForwardFallback, convForwardPixels, derFilterSplit } from './webgpuKernels';

describe('webgpuKernels: broadcast reshapes', () => {
  it('lifts a short 1-D operand facing a higher rank one to [1, …, 1, n]', () => {
    expect(broadcastReshapes([8, 64, 64, 16], [16])).toEqual({ a: null, b: [1, 1, 1, 16] });
    expect(broadcastReshapes([16], [8, 64, 64, 16])).toEqual({ a: [1, 1, 1, 16], b: null });
    expect(broadcastReshapes([8, 2], [1])).toEqual({ a: null, b: [1, 1] });
  });
  it('leaves everything else alone (scalars, long vectors, equal ranks)', () => {
    expect(broadcastReshapes([8, 64, 64, 16], [])).toBeNull();
    expect(broadcastReshapes([8, 64, 64, 256], [256])).toBeNull();
    expect(broadcastReshapes([16], [16])).toBeNull();
    expect(broadcastReshapes([4, 16], [1, 16])).toBeNull();
  });
  it('does not change the broadcast result (cpu backend)', async () => {
    await tf.setBackend('cpu');
    const a = tf.randomNormal([2, 3, 4, 5]);
    const v = tf.randomNormal([5]);
    const s = broadcastReshapes(a.shape, v.shape)!;
    const lifted = v.reshape(s.b!);
    for (const op of [tf.mul, tf.sub, tf.div, tf.add]) {
      expect(Array.from(await op(a, lifted).data())).toEqual(Array.from(await op(a, v).data()));
      expect(Array.from(await op(lifted, a).data())).toEqual(Array.from(await op(v, a).data()));
    }
  });
});

describe('webgpuKernels: weight-gradient split', () => {
  it('splits the batch only when there are too few invocations', () => {
    expect(derFilterSplit(8, 3, 3, 3, 16)).toBe(8); // 36 invocations → 8 partial sums
    expect(derFilterSplit(8, 3, 3, 16, 32)).toBe(4); // 288 → 4
    expect(derFilterSplit(8, 3, 3, 64, 64)).toBe(1); // 2,304 → none
    expect(derFilterSplit(1, 3, 3, 3, 16)).toBe(1);
  });
});

describe('webgpuKernels: forward convolution', () => {
  it('takes up to 4 output pixels of a row per invocation', () => {
    expect(convForwardPixels(64)).toBe(4);
    expect(convForwardPixels(17)).toBe(4);
    expect(convForwardPixels(2)).toBe(2);
    expect(convForwardPixels(1)).toBe(1);
  });
  const ok = { dilationHeight: 1, dilationWidth: 1, outChannels: 16, dtypes: ['float32', 'float32'] };
  it('takes NHWC float32, dilation 1, Cout % 4 == 0, bias [Cout], linear or relu', () => {
    expect(convForwardFallback(ok)).toBeNull();
    expect(convForwardFallback({ ...ok, dataFormat: 'NHWC', activation: 'relu', biasShape: [16] })).toBeNull();
    expect(
      convForwardFallback({ ...ok, dataFormat: 'channelsLast', activation: 'linear', biasShape: null }),
    ).toBeNull();
  });
  it("leaves everything else to tfjs' kernel", () => {
    expect(convForwardFallback({ ...ok, dataFormat: 'NCHW' })).toBe('NCHW');
    expect(convForwardFallback({ ...ok, dilationWidth: 2 })).toBe('dilation');
    expect(convForwardFallback({ ...ok, outChannels: 6 })).toBe('Cout % 4');
    expect(convForwardFallback({ ...ok, dtypes: ['float32', 'int32'] })).toBe('dtype');
    expect(convForwardFallback({ ...ok, activation: 'prelu', hasPrelu: true })).toBe('prelu weights');
    expect(convForwardFallback({ ...ok, activation: 'leakyrelu' })).toBe('activation leakyrelu');
    expect(convForwardFallback({ ...ok, activation: 'relu6' })).toBe('activation relu6');
    expect(convForwardFallback({ ...ok, biasShape: [1, 1, 16] })).toBe('bias shape');
    expect(convForwardFallback({ ...ok, biasShape: [] })).toBe('bias shape');
  });
});
