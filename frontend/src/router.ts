import { createRouter, createWebHistory } from 'vue-router';
import { useAuthStore } from './stores/auth';
import LoginView from './views/LoginView.vue';

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', component: LoginView },
      { path: '/', component: () => import('./views/DashboardView.vue'), meta: { auth: true } },
      { path: '/admin', component: () => import('./views/AdminView.vue'), meta: { auth: true, admin: true } },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach((to) => {
    const auth = useAuthStore();
    if (to.meta.auth && !auth.loggedIn) return '/login';
    if (to.meta.admin && !auth.can('admin')) return '/';
    return true;
  });
  return router;
}
