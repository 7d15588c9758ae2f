import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { connectLab } from './api/connect-lab';
import { useClusterStore } from './stores/cluster-store';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
const store = useClusterStore();
const api = connectLab((state) => { store.linkState = state; });
app.mount('#app');
store.attach(api).catch((error: unknown) => store.reportError(`cannot reach the lab: ${(error as Error).message}`));
