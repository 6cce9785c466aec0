import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { configureHttp } from './api/http';
import App from './App.vue';
import { createAppI18n, rememberLang, type Lang } from './i18n';
import { createAppRouter, sendToLoginWhenSignedOut } from './router';
import { useAuthStore } from './stores/auth';

const app = createApp(App);
const pinia = createPinia();
const i18n = createAppI18n();
const router = createAppRouter();
app.use(pinia).use(i18n).use(router);

const auth = useAuthStore(pinia);
configureHttp({
  token: () => auth.token,
  renew: () => auth.renew(),
  ended: () => auth.endSession('sessionEnded'),
});
sendToLoginWhenSignedOut(router);
rememberLang(i18n.global.locale.value as Lang);
app.mount('#app');
