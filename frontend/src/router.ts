import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './stores/auth';
import LoginView from './views/LoginView.vue';

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', component: LoginView },
      { path: '/', component: () => import('./views/DashboardView.vue'), meta: { auth: true } },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach((to) => {
    if (to.meta.auth && !useAuthStore().loggedIn) return '/login';
    return true;
  });
  return router;
}
