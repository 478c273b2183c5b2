import { createRouter, createWebHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'compare', component: () => import('./pages/ComparePage.vue') },
    {
      path: '/networks/:id',
      name: 'network',
      component: () => import('./pages/NetworkPage.vue'),
      props: true,
    },
    {
      path: '/networks/:network/nodes/:id',
      name: 'node',
      component: () => import('./pages/NodePage.vue'),
      props: true,
    },
    { path: '/rent', name: 'rent', component: () => import('./pages/RentPage.vue') },
    { path: '/methods', name: 'methods', component: () => import('./pages/MethodsPage.vue') },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
})
