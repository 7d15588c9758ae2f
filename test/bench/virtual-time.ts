// A frame clock for the renderer benchmarks on a busy machine (`--virtual-time`): in the page, performance.now() and
// the time handed to requestAnimationFrame callbacks advance by exactly 1/60 s per animation frame, whatever the
// frames really take. The bench lab (which feeds events by performance.now()), the store's publishing, the timeline's
// redraws and the cluster's animation then see a steady 60 frames/s, so every frame does the work it would do on an
// idle machine, and main-thread CPU per frame compares builds even when other work keeps the page from getting 60
// real frames. Real frame times mean nothing in this mode (the frame recorder reads the real clock, but the frames are
// as slow as the machine makes them); compare CPU per frame. Installed before the page's own scripts.

export const FRAME_MS = 1000 / 60;

/** In-page source (this file is type-checked for Node, without the DOM). */
export const INSTALL_VIRTUAL_TIME = `(() => {
  const realNow = performance.now.bind(performance);
  const realFrame = requestAnimationFrame.bind(window);
  let virtualNow = realNow();
  globalThis.__benchRealNow = realNow;
  globalThis.__benchRealFrame = realFrame;
  globalThis.__benchVirtualFrames = 0;
  performance.now = () => virtualNow;
  // Runs first in every frame (it re-registers before any other callback of the frame can), then the page's callbacks.
  const advance = () => {
    realFrame(advance);
    virtualNow += ${FRAME_MS};
    globalThis.__benchVirtualFrames += 1;
  };
  realFrame(advance);
  window.requestAnimationFrame = (callback) => realFrame(() => callback(virtualNow));
})()`;
