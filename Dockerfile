# One image for every process of the stack; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/kit/package.json packages/kit/
COPY services/tenant/package.json services/tenant/
COPY services/identity/package.json services/identity/
COPY services/device/package.json services/device/
COPY services/audit/package.json services/audit/
COPY gateway/package.json gateway/
COPY infra/package.json infra/
COPY schema/package.json schema/
COPY test/package.json test/
COPY bench/package.json bench/
RUN npm install --ignore-scripts --no-audit --no-fund
COPY . .
USER node
