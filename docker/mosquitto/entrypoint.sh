#!/bin/sh
# Takes the devices' password file (written by `npm run devices -- mosquitto --out docker/mosquitto/`)
# and ACL, adds the hub's broker credentials to the password file, then runs Mosquitto.
set -eu
: "${MQTT_HUB_PASSWORD:?set MQTT_HUB_PASSWORD}"
mkdir -p /mosquitto/config /mosquitto/data
cp /tidewatch/mosquitto.conf /tidewatch/acl /mosquitto/config/
if [ -f /tidewatch/passwd ]; then cp /tidewatch/passwd /mosquitto/config/passwd; else touch /mosquitto/config/passwd; fi
chmod 0700 /mosquitto/config/passwd
mosquitto_passwd -b /mosquitto/config/passwd tidewatch-hub "$MQTT_HUB_PASSWORD"
chown -R mosquitto:mosquitto /mosquitto/config /mosquitto/data
exec mosquitto -c /mosquitto/config/mosquitto.conf
