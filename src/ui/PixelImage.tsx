/** Draws 64×64 RGB bytes on a canvas (scaled with crisp pixels). `label` names it; '' = decorative. */
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
      // An empty label marks a decorative image (its button or caption already names it): hidden from
      // assistive technology rather than an image without a name.
      role={props.label ? 'img' : undefined}
      aria-label={props.label || undefined}
      aria-hidden={props.label ? undefined : true}
      className="pixel-image"
      style={{ width: props.width ?? 64, height: props.width ?? 64 }}
    />
  );
}
