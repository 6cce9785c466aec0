import { watch } from 'vue';
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router';
import { useAuthStore } from './stores/auth';
import LoginView from './views/LoginView.vue';

export const PASSWORD_PATH = '/password';

export function createAppRouter(history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes: [
      { path: '/login', component: LoginView },
      { path: '/', component: () => import('./views/DashboardView.vue'), meta: { auth: true } },
      { path: '/alerts', component: () => import('./views/AlertLogView.vue'), meta: { auth: true } },
      // The wall screen: signed in like the dashboard; the auth store renews its token, the socket reconnects.
      { path: '/wall', component: () => import('./views/WallView.vue'), meta: { auth: true } },
      { path: '/handover', component: () => import('./views/HandoverView.vue'), meta: { auth: true } },
      { path: '/roster', component: () => import('./views/RosterView.vue'), meta: { auth: true } },
      { path: PASSWORD_PATH, component: () => import('./views/PasswordView.vue'), meta: { auth: true } },
      { path: '/admin', component: () => import('./views/AdminView.vue'), meta: { auth: true, admin: true } },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    if (!to.meta.auth) return true;
    if (!auth.loggedIn || !(await auth.ensureFreshToken())) return '/login';
    // Until the password is changed the hub answers nothing else.
    if (auth.mustChangePassword && to.path !== PASSWORD_PATH) return PASSWORD_PATH;
    if (to.meta.admin && !auth.can('admin')) return '/';
    return true;
  });
  return router;
}

/** However the session ends (logout, refused renewal, revoked socket), the page goes to the login. */
export function sendToLoginWhenSignedOut(router: Router): void {
  const auth = useAuthStore();
  watch(
    () => auth.loggedIn,
    (loggedIn) => {
      if (!loggedIn && router.currentRoute.value.meta.auth) void router.replace('/login');
    },
  );
}
