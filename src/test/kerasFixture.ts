/**
 * A model.json written by hand in the format `tensorflowjs_converter --input_format keras` produces (Keras'
 * snake_case config wrapped in model_config, weights named layer/kernel), with seeded weights: a tiny
 * Sequential conv net on 64×64×3 with 2 softmax classes. Used by unit and e2e tests of model import.
 */
export function kerasModelFiles(seed = 7): { modelJson: string; weights: Uint8Array } {
  const layers = [
    {
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, 64, 64, 3], dtype: 'float32', sparse: false, name: 'input_1' },
    },
    {
      class_name: 'Conv2D',
      config: {
        name: 'conv2d',
        trainable: true,
        dtype: 'float32',
        filters: 4,
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: 'valid',
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: 'relu',
        use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    },
    {
      class_name: 'MaxPooling2D',
      config: {
        name: 'max_pooling2d',
        trainable: true,
        dtype: 'float32',
        pool_size: [2, 2],
        padding: 'valid',
        strides: [2, 2],
        data_format: 'channels_last',
      },
    },
    {
      class_name: 'Flatten',
      config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' },
    },
    {
      class_name: 'Dense',
      config: {
        name: 'dense',
        trainable: true,
        dtype: 'float32',
        units: 2,
        activation: 'softmax',
        use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    },
  ];
  const specs = [
    { name: 'conv2d/kernel', shape: [3, 3, 3, 4], dtype: 'float32' },
    { name: 'conv2d/bias', shape: [4], dtype: 'float32' },
    { name: 'dense/kernel', shape: [31 * 31 * 4, 2], dtype: 'float32' },
    { name: 'dense/bias', shape: [2], dtype: 'float32' },
  ];
  const count = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (state / 4294967296 - 0.5) * 0.2;
  }
  const json = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers } },
      training_config: null,
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
  };
  return { modelJson: JSON.stringify(json), weights: new Uint8Array(values.buffer) };
}
