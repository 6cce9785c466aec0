# The Tidewatch hub: API, live push, ingestion and the built dashboard.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/
COPY simulators/package.json simulators/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci
COPY tsconfig.base.json ./
COPY contracts contracts
COPY simulators simulators
COPY backend backend
COPY frontend frontend
COPY db db
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
# In a container the listeners must take connections from outside it (the default is loopback).
ENV HOST=0.0.0.0 MQTT_HOST=0.0.0.0
# Chinese glyphs for the PDF monthly reports.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/contracts/package.json contracts/
COPY --from=build /app/contracts/dist contracts/dist
COPY --from=build /app/simulators/package.json simulators/
COPY --from=build /app/simulators/dist simulators/dist
COPY --from=build /app/backend/package.json backend/
COPY --from=build /app/backend/dist backend/dist
COPY --from=build /app/frontend/dist frontend/dist
COPY --from=build /app/db db
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 1883 6212
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "backend/dist/main.js"]
