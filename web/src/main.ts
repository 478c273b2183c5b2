import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { prefetchComparePage } from './state/comparison'
import './style.css'

if (location.pathname === '/') prefetchComparePage(location.search)
createApp(App).use(router).mount('#app')
