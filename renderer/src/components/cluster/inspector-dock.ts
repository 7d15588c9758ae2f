// Where the server/message inspector opens in the app: an element in the side column (App.vue), so that opening it
// takes no room from the cluster diagram.
export const INSPECTOR_DOCK_ID = 'inspector-dock';
