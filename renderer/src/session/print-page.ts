// The browser's print of a self-contained page (a class handout) without leaving the app: the page goes into a hidden
// frame of its own and that frame is printed, so the print dialog shows the handout, not the lab. The frame is
// removed once the dialog is done (or after a minute, if the browser never says).
const REMOVE_AFTER_MS = 60_000;

export function printPage(html: string, title: string): void {
  const frame = document.createElement('iframe');
  frame.title = title;
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  // Off screen but laid out at a page's width (a display:none frame has no layout to print).
  frame.style.position = 'fixed';
  frame.style.left = '-10000px';
  frame.style.top = '0';
  frame.style.width = '210mm';
  frame.style.height = '297mm';
  frame.style.border = '0';
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    frame.remove();
  };
  frame.addEventListener('load', () => {
    const view = frame.contentWindow;
    if (!view) {
      remove();
      return;
    }
    view.addEventListener('afterprint', remove, { once: true });
    view.focus();
    view.print();
  }, { once: true });
  frame.srcdoc = html;
  document.body.append(frame);
  setTimeout(remove, REMOVE_AFTER_MS);
}
