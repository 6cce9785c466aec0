#!/bin/sh
# Writes the hub's broker credentials into the password file, then runs Mosquitto.
# Device credentials are added with: docker compose exec mosquitto mosquitto_passwd /mosquitto/config/passwd <site-id>
set -eu
: "${MQTT_HUB_PASSWORD:?set MQTT_HUB_PASSWORD}"
mkdir -p /mosquitto/config /mosquitto/data
cp /tidewatch/mosquitto.conf /tidewatch/acl /mosquitto/config/
touch /mosquitto/config/passwd
chmod 0700 /mosquitto/config/passwd
mosquitto_passwd -b /mosquitto/config/passwd tidewatch-hub "$MQTT_HUB_PASSWORD"
chown -R mosquitto:mosquitto /mosquitto/config /mosquitto/data
exec mosquitto -c /mosquitto/config/mosquitto.conf
