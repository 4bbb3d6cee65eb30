/** Draws 64×64 RGB bytes on a canvas (scaled with crisp pixels). */
import { useEffect, useRef } from 'react';

export function PixelImage(props: { pixels: Uint8Array; size?: number; label: string; width?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const size = props.size ?? 64;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(size, size);
    for (let i = 0, j = 0; i < size * size; i++, j += 3) {
      img.data[i * 4] = props.pixels[j];
      img.data[i * 4 + 1] = props.pixels[j + 1];
      img.data[i * 4 + 2] = props.pixels[j + 2];
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [props.pixels, size]);
  return (
    <canvas
      ref={ref}
      width={size}
      height={size}
      role="img"
      aria-label={props.label}
      className="pixel-image"
      style={{ width: props.width ?? 64, height: props.width ?? 64 }}
    />
  );
}
