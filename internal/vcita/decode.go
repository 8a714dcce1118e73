package vcita

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// flexibleID accepts an id written as a JSON number (the list's 32) or a
// string (subscribe's "12345").
type flexibleID string

func (id *flexibleID) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	// The list's ids are plain integers: read those without a second
	// decoding pass, which a list of thousands would feel.
	if whole, err := strconv.ParseInt(string(data), 10, 64); err == nil {
		*id = flexibleID(strconv.FormatInt(whole, 10))
		return nil
	}
	var text string
	if err := json.Unmarshal(data, &text); err == nil {
		*id = flexibleID(text)
		return nil
	}
	var number json.Number
	if err := json.Unmarshal(data, &number); err != nil {
		return err
	}
	if whole, err := strconv.ParseInt(number.String(), 10, 64); err == nil {
		*id = flexibleID(strconv.FormatInt(whole, 10))
		return nil
	}
	*id = flexibleID(number.String())
	return nil
}

type listItem struct {
	ID        flexibleID `json:"id"`
	Entity    string     `json:"entity"`
	EventType string     `json:"event_type"`
	URL       string     `json:"url"`
	// Seen in other vcita answers; read only as a fallback.
	TargetURL string `json:"target_url"`
	Event     string `json:"event"`
}

type listData struct {
	// A pointer, so that a missing or null list is told from an empty one.
	Subscriptions *[]listItem `json:"subscriptions"`
}

// decodeList reads the list answer. A body without a subscriptions array
// (missing, or null) is an error naming it, never an empty list: an empty
// list would make every resource in the state look deleted. Only an
// explicit [] means none. The items are decoded in the same pass as the
// rest: a list can hold many thousands.
func (c *Client) decodeList(ans answer) ([]Subscription, error) {
	var doc struct {
		Response *struct {
			Data *listData `json:"data"`
		} `json:"response"`
		Data *listData `json:"data"`
	}
	if err := json.Unmarshal(ans.body, &doc); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && strings.Contains(typeErr.Field, "subscriptions") {
			return nil, c.decodeProblem("list", ans, `its "subscriptions" is not a list of subscriptions`)
		}
		return nil, c.decodeError("list", ans)
	}
	data := doc.Data
	if doc.Response != nil && doc.Response.Data != nil {
		data = doc.Response.Data
	}
	if data == nil || data.Subscriptions == nil {
		return nil, c.decodeProblem("list", ans, missingListProblem(ans.body))
	}
	items := *data.Subscriptions
	subs := make([]Subscription, 0, len(items))
	for _, item := range items {
		subs = append(subs, item.subscription())
	}
	return subs, nil
}

// missingListProblem says whether a list answer without a subscriptions
// array has it null or has none. It decodes the answer again, which only
// an answer already refused pays.
func missingListProblem(body []byte) string {
	type data struct {
		Subscriptions json.RawMessage `json:"subscriptions"`
	}
	var doc struct {
		Response struct {
			Data data `json:"data"`
		} `json:"response"`
		Data data `json:"data"`
	}
	_ = json.Unmarshal(body, &doc)
	if string(doc.Response.Data.Subscriptions) == "null" || string(doc.Data.Subscriptions) == "null" {
		return `its "subscriptions" is null, not a list`
	}
	return `it has no "subscriptions" list`
}

func (item listItem) subscription() Subscription {
	sub := Subscription{ID: string(item.ID), Entity: item.Entity, EventType: item.EventType, TargetURL: item.URL}
	if sub.TargetURL == "" {
		sub.TargetURL = item.TargetURL
	}
	if sub.Entity == "" && sub.EventType == "" && item.Event != "" {
		sub.Entity, sub.EventType, _ = strings.Cut(item.Event, "/")
	}
	return sub
}

// decodeSubscribe reads a 2xx subscribe answer and returns the subscription
// id when the answer has one. Both documented shapes are success:
// {"status":"OK","data":{"subscription_id":"12345"}} and
// {"response":"Subscribed"}.
func (c *Client) decodeSubscribe(ans answer) (string, error) {
	var doc struct {
		Status         string     `json:"status"`
		Message        string     `json:"message"`
		Response       any        `json:"response"`
		SubscriptionID flexibleID `json:"subscription_id"`
		ID             flexibleID `json:"id"`
		Data           *struct {
			SubscriptionID flexibleID `json:"subscription_id"`
			ID             flexibleID `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(ans.body, &doc); err != nil {
		if answerIs(ans.body, "Subscribed") {
			return "", nil
		}
		return "", c.decodeError("subscribe", ans)
	}
	if refusal := refusalOf(doc.Status, doc.Response); refusal {
		return "", c.apiError("subscribe", ans.status, ans.body, ans.attempts)
	}
	for _, id := range []flexibleID{dataID(doc.Data), doc.SubscriptionID, doc.ID} {
		if id != "" {
			return string(id), nil
		}
	}
	return "", nil
}

func dataID(data *struct {
	SubscriptionID flexibleID `json:"subscription_id"`
	ID             flexibleID `json:"id"`
}) flexibleID {
	if data == nil {
		return ""
	}
	if data.SubscriptionID != "" {
		return data.SubscriptionID
	}
	return data.ID
}

// refusalOf recognises a failure dressed as success: a 2xx whose body says
// {"status":"Error"} or {"response":"Not Subscribed"}.
func refusalOf(status string, response any) bool {
	if strings.EqualFold(status, "error") {
		return true
	}
	text, _ := response.(string)
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(text)), "not ")
}

// decodeUnsubscribe reads a 2xx unsubscribe answer. Only the documented
// shapes are success: {"status":"OK","data":{"unsubscribed":true}} and
// "Unsubscribed" (quoted or not). {"unsubscribed":false} reports
// removedNothing. Anything else (an empty body, null, {}, an HTML page) is
// a DecodeError, never a success: Unsubscribe then asks the list whether
// the subscription is gone.
func (c *Client) decodeUnsubscribe(ans answer) (removedNothing bool, err error) {
	var doc struct {
		Status   string `json:"status"`
		Response any    `json:"response"`
		Data     *struct {
			Unsubscribed *bool `json:"unsubscribed"`
		} `json:"data"`
	}
	if json.Unmarshal(ans.body, &doc) == nil {
		if refusalOf(doc.Status, doc.Response) {
			return false, c.apiError("unsubscribe", ans.status, ans.body, ans.attempts)
		}
		if strings.EqualFold(doc.Status, "OK") && doc.Data != nil && doc.Data.Unsubscribed != nil {
			return !*doc.Data.Unsubscribed, nil
		}
	}
	if answerIs(ans.body, "Unsubscribed") {
		return false, nil
	}
	return false, c.decodeError("unsubscribe", ans)
}

// answerIs reports whether body is word alone, as a JSON string or as
// plain text, in any case: the API's short answers "Subscribed" and
// "Unsubscribed".
func answerIs(body []byte, word string) bool {
	text := string(bytes.TrimSpace(body))
	var plain string
	if json.Unmarshal([]byte(text), &plain) == nil {
		text = plain
	}
	return strings.EqualFold(strings.TrimSpace(text), word)
}

func (c *Client) decodeError(op string, ans answer) error {
	return c.decodeProblem(op, ans, "")
}

// decodeProblem is decodeError with what exactly is wrong, for a JSON
// answer whose shape is off.
func (c *Client) decodeProblem(op string, ans answer, problem string) error {
	return &DecodeError{Op: op, StatusCode: ans.status, Problem: problem, Snippet: snippet(ans.body, c.token)}
}
