import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'The Raft paper (raft.github.io)', click: () => void shell.openExternal('https://raft.github.io/') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
