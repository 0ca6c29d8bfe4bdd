package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// webhookSecretPrefix starts a secret in the Standard Webhooks form: whsec_<base64 key>.
const webhookSecretPrefix = "whsec_"

// ParseWebhookSecret returns the key bytes of a WEBHOOK_SECRET in the Standard Webhooks
// form whsec_<base64>; "" means unsigned (nil key). The error says what is wrong without
// repeating the secret.
func ParseWebhookSecret(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	enc, ok := strings.CutPrefix(s, webhookSecretPrefix)
	if !ok {
		return nil, errors.New("must be whsec_ followed by a base64 key (the Standard Webhooks form)")
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, errors.New("the part after whsec_ is not valid base64")
	}
	if len(key) < 24 || len(key) > 64 {
		return nil, errors.New("the key after whsec_ must decode to 24..64 bytes")
	}
	return key, nil
}

// SignWebhook is the Standard Webhooks signature header value of one delivery:
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
func SignWebhook(key []byte, id string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}
