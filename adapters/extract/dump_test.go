package extract_test
import ("fmt";"os";"testing")
func TestDump(t *testing.T){ for _, n := range []string{os.Getenv("P")} { out := extractReader(t, readPage(t, n), "https://example.com/x"); fmt.Printf("%+v\n----\n%s\n", struct{T,B,E,S,L string}{out.Title,out.Byline,out.Excerpt,out.SiteName,out.Lang}, out.Text) } }
