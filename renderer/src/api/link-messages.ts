// What the page says when the lab will not talk to it. Web mode needs the per-run token from the URL the lab printed
// (`raft-lab web` prints http://127.0.0.1:PORT/?token=…); without it, or with an old one, every connection is
// refused at the upgrade, which in a browser looks exactly like an unreachable lab.

export function hasToken(href: string): boolean {
  return (new URL(href).searchParams.get('token') ?? '') !== '';
}

export function refusedLinkMessage(href: string): string {
  return hasToken(href)
    ? 'The lab did not accept this page. Open the URL the lab printed when it started (http://127.0.0.1:PORT/?token=…): ' +
      'the token changes every time the lab starts, so an old link or a bookmark does not work. If you did, check that the ' +
      'lab is still running.'
    : 'This page was opened without the lab\'s token, so it cannot talk to the lab. Open the URL the lab printed when it ' +
      'started (http://127.0.0.1:PORT/?token=…), token included.';
}
