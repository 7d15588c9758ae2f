// An SVG document as a PNG: drawn onto a canvas at `pixelRatio` times its size (sharp on projectors and in slides).
// One path for every figure the app exports (the timeline, the experiments' plots).
export async function svgToPng(svgText: string, widthPx: number, heightPx: number, pixelRatio = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(widthPx * pixelRatio);
    canvas.height = Math.ceil(heightPx * pixelRatio);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(pixelRatio, pixelRatio);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
