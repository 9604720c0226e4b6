import type { MenuItemConstructorOptions } from 'electron';

/** The application menu: reload, zoom and full screen (for a classroom projector); no devtools in packaged builds. */
export function menuTemplate(isPackaged: boolean, openRecording?: () => void): MenuItemConstructorOptions[] {
  return [
    {
      label: 'File',
      submenu: [
        ...(openRecording ? [{ label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: openRecording } as MenuItemConstructorOptions, { type: 'separator' } as MenuItemConstructorOptions] : []),
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        ...(isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
}
