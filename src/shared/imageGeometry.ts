/**
 * The one image geometry of the lab: every face the models see, store and show is a 64×64 RGB crop, packed
 * row-major HWC, one byte per channel. Thread-neutral: the page, the workers and the database read it here.
 * (The 128×128 review thumbnails are display copies: db/schema.ts THUMB_SIZE.)
 */
export const IMAGE_SIDE = 64;
export const IMAGE_CHANNELS = 3;
/** Values (bytes) of one image: 12,288. */
export const PIXELS_PER_IMAGE = IMAGE_SIDE * IMAGE_SIDE * IMAGE_CHANNELS;
/** Values of one image's region mask (one region id per pixel): 4,096. */
export const MASK_PER_IMAGE = IMAGE_SIDE * IMAGE_SIDE;
/** A model's input shape for one image (the batch dimension left out). */
export const INPUT_SHAPE: readonly [number, number, number] = [IMAGE_SIDE, IMAGE_SIDE, IMAGE_CHANNELS];
