# One image for every Hold Slayer process (API, worker, simulated carrier);
# docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# The simulated carrier plays Debian's real recordings: prompts, their captions, music on hold.
RUN apt-get update \
 && apt-get install -y --no-install-recommends asterisk-core-sounds-en-wav asterisk-core-sounds-en asterisk-moh-opsound-wav \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV HOLDSLAYER_DATA_DIR=/data NODE_ENV=production
# /media is shared with FreeSWITCH (speech to play, recordings): the gateway, running as node, writes there.
RUN mkdir -p /data /media && chown node:node /data /media
USER node
CMD ["node", "dist/bin/api.js"]
